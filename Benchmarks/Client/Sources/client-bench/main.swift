// Heed's client against AsyncHTTPClient, URLSession, curl and a raw loopback socket, in one run, against
// bench-server. Each client runs each workload in a child process of its own (bench-heed, bench-ahc,
// bench-urlsession; this program for the raw socket and curl), so each peak RSS is the client's own.
// See docs/performance.md; scripts/bench-client.sh builds everything and runs this.
//
//   client-bench --port P [--rounds N] [--quick] [--clients heed,ahc,...] [--workloads sequential,...] [sizes]
//   client-bench --only raw --workload download --port P [sizes]      (one run; prints a RESULT line)

import BenchSupport
import Foundation

var port: Int?
var rounds = 1
var sizes = Sizes()
var clients = Client.allCases.filter { $0 != .curl || FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") }
var workloads = Workload.allCases

func usage() -> Never {
    FileHandle.standardError.write(
        Data(
            """
            usage: client-bench --port P [--rounds N] [--quick] [--clients a,b] [--workloads a,b]
                   [--sequential N] [--concurrent N] [--connections N] [--bytes N] [--part N] [--warmup N]\n
            """.utf8
        )
    )
    exit(2)
}

if CommandLine.arguments.dropFirst().first == "--only" {
    let name = CommandLine.arguments.dropFirst(2).first
    await ChildProcess.main(arguments: Array(CommandLine.arguments.dropFirst(3))) { workload, sizes, port in
        switch name {
        case "raw": try RawRunner.run(workload, sizes: sizes, port: port)
        case "curl": try CurlRunner.run(workload, sizes: sizes, port: port)
        default: throw BenchmarkFailure("--only takes raw or curl")
        }
    }
    exit(0)
}

var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    func value() -> String {
        guard let next = arguments.next() else { usage() }
        return next
    }
    switch argument {
    case "--port":
        guard let number = Int(value()) else { usage() }
        port = number
    case "--rounds":
        guard let number = Int(value()) else { usage() }
        rounds = max(1, number)
    case "--clients":
        clients = value().split(separator: ",").map { name -> Client in
            guard let client = Client(rawValue: String(name)) else { usage() }
            return client
        }
    case "--workloads":
        workloads = value().split(separator: ",").map { name -> Workload in
            guard let workload = Workload(rawValue: String(name)) else { usage() }
            return workload
        }
    case "--quick":
        sizes.sequentialRequests = 2_000
        sizes.concurrentRequests = 10_000
        sizes.transferBytes = 64 << 20
    default:
        guard let number = Int(value()), sizes.parse(argument, number) else { usage() }
    }
}
guard let port else { usage() }

try Driver(port: port, rounds: rounds, sizes: sizes, clients: clients, workloads: workloads).run()
