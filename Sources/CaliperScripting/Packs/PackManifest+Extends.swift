extension PackManifest {
  /// Checks that `extends`, if given, is a pack name and not a path: bases are found by name
  /// among the `--pack` folders and the folders beside them, never anywhere else, so a value
  /// holding `/`, `\`, `..`, or starting with `.` or `~` is refused.
  func checkExtends() throws {
    guard let base = extends else { return }
    let isName =
      !base.isEmpty && !base.contains("/") && !base.contains("\\") && !base.contains("..")
      && !base.hasPrefix(".") && !base.hasPrefix("~") && !base.contains("\0")
    guard isName else {
      throw PackError(
        location: "\(name)/pack.lua: extends",
        problem:
          "'\(base)' is not a pack name: a base pack is named, never given by path (no '/', '\\', '..', leading '.' or '~'); give it with --pack or put its folder beside this one",
        refusal: .extendsNotAName)
    }
  }
}
