import Crypto
import Foundation

/// The data contract as a folder of CSV files (`docs/data-contract.md`): decisions through the
/// parallel ``DecisionPass``, the small files through ``ContractFileReader``, both under one
/// bad-row policy.
public struct CSVFolderSource: DecisionSource {
  /// The folder.
  public var folder: URL
  /// What happens to bad rows: stop at the first, or quarantine and go on.
  public var policy: BadRowPolicy
  /// Bytes read per block of the decisions pass.
  public var blockSize = 4 << 20
  /// Where file hashes are remembered between runs (none: every run hashes every file).
  public var digestCache: FileDigestCache?

  /// A source over `folder`, remembering file hashes in `digestCache` when given.
  public init(folder: URL, policy: BadRowPolicy = .strict, digestCache: FileDigestCache? = nil) {
    self.folder = folder
    self.policy = policy
    self.digestCache = digestCache
  }

  /// The folder's path.
  public var sourceName: String { folder.path }

  /// The parallel pass scans every row.
  public var scansRows: Bool { true }

  /// Reads the reference files of the folder.
  public func referenceData() throws -> ReferenceData {
    try ReferenceData(folder: folder, policy: policy)
  }

  /// One parallel pass over `decisions.csv`, which hashes the file as it reads it when the
  /// request asks (and remembers the hash in ``digestCache``).
  public func aggregate<Sink: DecisionRowSink>(
    _ request: AggregationRequest, reference: ReferenceData, sinks: (Int) throws -> sending Sink
  ) throws -> sending DecisionPassResult<Sink> {
    var pass = DecisionPass(folder: folder, policy: policy, groupings: request.groupings)
    pass.workers = max(1, request.workers)
    pass.blockSize = blockSize
    pass.progress = request.progress
    if let digest = request.digest, digest.file != ContractFile.decisions.fileName {
      digest.decline()  // only decisions.csv is read here
    } else {
      pass.digest = request.digest
    }
    let result = try pass.run(reference: reference, makeSink: sinks)
    if let content = result.contentDigest, let digestCache {
      digestCache.remember(
        content.hex, path: folder.appendingPathComponent(ContractFile.decisions.fileName).path,
        before: content.before, after: content.after, startedAt: content.startedAt)
    }
    return result
  }

  /// `decisions.csv`, unless its hash is remembered: the decisions pass hashes it from its read
  /// buffers as it reads it (reading it again for its hash cost 14% more CPU time on the
  /// hashing thread, copying it out of the page cache a second time).
  public func hashesWhileAggregating(_ file: String) -> Bool {
    guard file == ContractFile.decisions.fileName else { return false }
    return digestCache?.remembered(path: folder.appendingPathComponent(file).path) == nil
  }

  /// Reads `type`'s file.
  public func records<Record: ContractRecord>(_ type: Record.Type) throws -> RecordBatch<Record>? {
    // Decoded on every core: qa_audits.csv at 1M decisions took 0.53 s on one.
    try ContractFileReader(folder: folder, policy: policy).readAll(Record.contractFile) { try Record($0) }
      .map { RecordBatch(records: $0.rows, reconciliation: $0.tally) }
  }

  /// SHA-256 of each file's bytes, read in 128 KiB chunks into one buffer (a fresh `Data` per
  /// chunk cost a mapping and 256 page faults each: 2% of a scorecard run's cycles; a buffer of
  /// 1 MiB, half of a core's L2 cache, pushed the decisions pass's tables out of it while the
  /// hashing thread shares the cores with it: the first run on 10M decisions took 3% more CPU
  /// time, medians of 6 alternated runs); through ``digestCache`` when set, so that a file
  /// unchanged since it was last hashed is not read.
  public func contentHashes(of files: [String]) throws -> [String: String] {
    var hashes: [String: String] = [:]
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 << 10, alignment: 64)
    defer { buffer.deallocate() }
    for file in files {
      let url = folder.appendingPathComponent(file)
      _ = try RegularFile.size(of: url, name: file)
      let handle: FileHandle
      do { handle = try FileHandle(forReadingFrom: url) } catch {
        throw IngestionError(file: file, problem: "cannot be read for hashing: \(error.localizedDescription)")
      }
      defer { try? handle.close() }
      let hash = { (descriptor: Int32) in try Self.sha256(of: descriptor, file: file, buffer: buffer) }
      hashes[file] =
        try digestCache.map { try $0.digest(of: handle.fileDescriptor, path: url.path, compute: hash) }
        ?? hash(handle.fileDescriptor)
    }
    return hashes
  }

  /// The SHA-256 of what is left to read of `descriptor`, as hex, read through `buffer`.
  private static func sha256(
    of descriptor: Int32, file: String, buffer: UnsafeMutableRawBufferPointer
  ) throws
    -> String
  {
    var hash = SHA256()
    while true {
      let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw IngestionError(file: file, problem: "read failed while hashing (errno \(errno))")
      }
      hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }
    return ContentHash.hex(hash.finalize())
  }
}
