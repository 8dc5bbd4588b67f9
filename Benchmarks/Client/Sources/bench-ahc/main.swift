// AsyncHTTPClient in a process of its own: bench-ahc --workload W --port P [sizes]
import BenchSupport

await ChildProcess.main { workload, sizes, port in
    try await AHCRunner.run(workload, sizes: sizes, port: port)
}
