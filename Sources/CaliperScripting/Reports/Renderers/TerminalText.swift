/// Text from scripts and data made safe for a terminal: control characters (the escape that
/// starts a terminal sequence, a carriage return that overwrites a line, a bell) are shown as
/// `\u{1B}` and the like instead of acting; line feeds and tabs stay.
public enum TerminalText {
  /// `text` with every control character but line feed and tab spelled out.
  public static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if needsEscape(scalar) {
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    guard scalar != "\n", scalar != "\t" else { return false }
    return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }
}
