import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The check every data file and every pack file passes before anything opens it: it must be a
/// regular file. Opening a FIFO blocks until a writer comes, `/dev/zero` never ends, and a
/// directory fails with an error that names neither the file nor the problem; each is refused
/// with one that does. (Data files may be reached through a symbolic link; pack files may not,
/// see `PackFolder` in CaliperScripting.)
public enum RegularFile {
  /// What a `stat`/`lstat` file mode describes, in words, when it is not a regular file
  /// (`"a directory"`, `"a FIFO (named pipe)"`, `"a symbolic link"`); `nil` for a regular file.
  public static func nonRegularKind(mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: nil
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    case S_IFLNK: "a symbolic link"
    default: "not a regular file"
    }
  }

  /// The size in bytes of the regular file at `url` (a symbolic link to one is fine), or an
  /// error naming `name` and what it is.
  static func size(of url: URL, name: String) throws -> Int {
    var info = stat()
    guard stat(url.path, &info) == 0 else {
      throw IngestionError(file: name, problem: "cannot be read: \(String(cString: strerror(errno)))")
    }
    if let kind = nonRegularKind(mode: info.st_mode) {
      throw IngestionError(file: name, problem: "is \(kind); data files must be regular files")
    }
    guard access(url.path, R_OK) == 0 else {
      throw IngestionError(file: name, problem: "cannot be read: \(String(cString: strerror(errno)))")
    }
    return Int(info.st_size)
  }
}
