// Heed's client in a process of its own, so its peak RSS is its own: bench-heed --workload W --port P [sizes]
import BenchSupport

await ChildProcess.main { workload, sizes, port in
    try await HeedRunner.run(workload, sizes: sizes, port: port)
}
