/// The data contract's shared definitions (`docs/data-contract.md`, "Shared definitions"), each
/// written once. They are generic over how a label is held (a `String` in records, an interned
/// id in the fast pass), so the record types, the reference aggregation and the fast pass all
/// call these same functions; in an optimised build they cost nothing over writing the
/// comparison in place. (Error severity is ``PolicyBook/errorSeverity(_:_:)``: it needs the
/// policy book.)
public enum Definitions {
  /// Within SLA: decided at most `slaSeconds` after it was enqueued
  /// (`decided_at − enqueued_at <= sla_seconds`).
  @inline(__always)
  public static func isWithinSLA(turnaroundSeconds: Int64, slaSeconds: Int64) -> Bool {
    turnaroundSeconds <= slaSeconds
  }

  /// Correct: the decision's label equals the reference label (an audit's `qa_label`, or a
  /// golden item's `gold_label`).
  @inline(__always)
  public static func isCorrect<Label: Equatable>(label: Label, reference: Label) -> Bool {
    label == reference
  }

  /// AI agreement: the suggestion equals the moderator's label.
  @inline(__always)
  public static func agreesWithAI<Label: Equatable>(label: Label, suggestion: Label) -> Bool {
    label == suggestion
  }

  /// AI override: an AI-assisted decision with a suggestion whose label differs from it.
  @inline(__always)
  public static func overridesAI<Label: Equatable>(assisted: Bool, label: Label, suggestion: Label?) -> Bool {
    guard assisted, let suggestion else { return false }
    return !agreesWithAI(label: label, suggestion: suggestion)
  }
}
