public import Vapor

extension Application.Servers.Provider {
    /// Heed's server with the default configuration (127.0.0.1:8080, 16 KiB bodies, lingering close).
    public static var heed: Self {
        .heed(HeedVaporConfiguration())
    }

    /// Heed's server with a configuration: `app.servers.use(.heed(.init(port: 0)))`.
    /// - Parameter configuration: Where to listen and which limits to enforce.
    public static func heed(_ configuration: HeedVaporConfiguration) -> Self {
        .init { application in
            application.heed.configuration = configuration
            application.servers.use { $0.heed.server }
        }
    }
}

extension Application {
    /// Heed's Vapor server of this application.
    public var heed: Heed {
        Heed(application: self)
    }

    /// Heed's Vapor server of an application, and its configuration.
    public struct Heed: Sendable {
        /// The application.
        public let application: Application

        /// The application's ``HeedVaporServer``, created on first use with ``configuration``.
        public var server: HeedVaporServer {
            if let existing = self.application.storage[ServerKey.self] {
                return existing
            }
            let server = HeedVaporServer(application: self.application, configuration: self.configuration)
            self.application.storage[ServerKey.self] = server
            return server
        }

        /// The configuration the server is created with. Set it before the server is first used:
        /// setting it afterwards replaces the server, unless it is running, in which case it is ignored.
        public var configuration: HeedVaporConfiguration {
            get {
                self.application.storage[ConfigurationKey.self] ?? .init()
            }
            nonmutating set {
                self.application.storage[ConfigurationKey.self] = newValue
                if let existing = self.application.storage[ServerKey.self] {
                    if !existing.isRunning {
                        self.application.storage[ServerKey.self] = nil
                    } else {
                        self.application.logger.warning("HeedVapor: the server is running; its configuration stays")
                    }
                }
            }
        }

        struct ServerKey: StorageKey {
            typealias Value = HeedVaporServer
        }

        struct ConfigurationKey: StorageKey {
            typealias Value = HeedVaporConfiguration
        }
    }
}
