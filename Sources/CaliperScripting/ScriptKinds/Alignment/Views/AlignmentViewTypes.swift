import CaliperCore
import LuaKit

/// The read-only views alignment rules work with (vendors, sites and markets reuse the
/// scorecards' group view); each declares its Lua face in its own file.
enum AlignmentViewTypes {
  /// Every view type, registered with each state once.
  static var all: [any LuaUserdataType.Type] {
    [
      SessionView.self, CalibrationSession.RaterAccuracy.self, CalibrationSession.ItemDisagreement.self,
      CalibrationSession.LabelAgreement.self, AuditorView.self, QueueView.self, StaffingView.self, RedTeamView.self,
      ReportedFigureView.self, PolicyView.self, PolicyChange.Accuracy.self, PolicyChange.Training.self,
      LabelView.self, LabelAcrossMarkets.Market.self,
    ]
  }

  /// Registers the view types with a state.
  static func register(in state: LuaState) throws {
    for type in all { try state.register(type) }
  }
}
