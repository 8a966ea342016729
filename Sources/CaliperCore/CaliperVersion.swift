/// Caliper's own version and the version of the Lua API that packs target.
public enum CaliperVersion {
  /// The toolkit version, recorded in every report.
  public static let toolkit = "0.1.0"
  /// The `caliper` Lua module API version; a pack's manifest names the one it targets.
  public static let luaAPI = 1
}
