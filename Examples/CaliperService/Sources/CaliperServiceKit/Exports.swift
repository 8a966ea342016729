import CaliperScripting

/// The engine's options, under the name the service's configuration uses.
public typealias CaliperEngineOptions = CaliperEngine.Options
