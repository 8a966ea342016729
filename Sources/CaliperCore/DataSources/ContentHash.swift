import Crypto
import Foundation

/// The content hashes reports carry (packs, data files, database tables): SHA-256, spelled one
/// way, so that reports compare across versions and sources.
public enum ContentHash {
  /// `digest` as lowercase hex.
  public static func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
  }
}
