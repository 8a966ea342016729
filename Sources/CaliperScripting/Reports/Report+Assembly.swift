import CaliperCore

extension Report {
  /// A run's report with its provenance, as every kind of run writes it: the toolkit's
  /// versions, each pack's version and hash, each data file's hash (from the run's ``BackgroundHashes``) and reconciliation, and the findings most urgent first, those of one inherited hook from several packs
  /// merged (``FindingMerge``).
  static func assemble(
    run: RunParameters, packs: PackSet, files: [FileReconciliation], absent: [String], hashes: BackgroundHashes,
    sections: ReportSections, findings: [Finding], allRan: Bool
  ) throws -> Report {
    let hashes = try hashes.hashes(of: files.map(\.file))
    let records = files.map { tally in
      DataFileRecord(
        file: tally.file, sha256: hashes[tally.file] ?? "", rowsRead: tally.rowsRead, rowsAccepted: tally.rowsAccepted,
        rowsRejected: tally.rowsRejected, extraColumns: tally.extraColumns)
    }
    return Report(
      caliper: ToolkitVersion(version: CaliperVersion.toolkit, luaAPI: CaliperVersion.luaAPI), run: run,
      packs: packs.all.values.sorted { $0.manifest.name < $1.manifest.name }.map {
        PackRecord(
          name: $0.manifest.name, version: $0.manifest.version, extends: $0.manifest.extends, sha256: $0.contentHash)
      },
      data: DataRecord(files: records.sorted { $0.file < $1.file }, absent: absent.sorted()),
      sections: sections,
      findings: FindingMerge.merged(findings).sorted {
        ($0.severity, $0.pack, $0.scorecard, $0.subject, $0.period ?? "", $0.message)
          < ($1.severity, $1.pack, $1.scorecard, $1.subject, $1.period ?? "", $1.message)
      },
      status: allRan ? .ok : .failed)
  }
}
