import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The check every data file passes before anything opens it: it must be a regular file (a
/// symbolic link to one is fine). Opening a FIFO blocks until a writer comes, `/dev/zero` never
/// ends, and a directory fails with an error that names neither the file nor the problem; each
/// is refused here with one that does.
enum RegularFile {
  /// The size in bytes of the regular file at `url`, or an error naming `name` and what it is.
  static func size(of url: URL, name: String) throws -> Int {
    var info = stat()
    guard stat(url.path, &info) == 0 else {
      throw IngestionError(file: name, problem: "cannot be read: \(String(cString: strerror(errno)))")
    }
    let kind: String
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      guard access(url.path, R_OK) == 0 else {
        throw IngestionError(file: name, problem: "cannot be read: \(String(cString: strerror(errno)))")
      }
      return Int(info.st_size)
    case S_IFDIR: kind = "a directory"
    case S_IFIFO: kind = "a FIFO (named pipe)"
    case S_IFCHR: kind = "a character device"
    case S_IFBLK: kind = "a block device"
    case S_IFSOCK: kind = "a socket"
    default: kind = "not a regular file"
    }
    throw IngestionError(file: name, problem: "is \(kind); data files must be regular files")
  }
}
