// URLSession in a process of its own: bench-urlsession --workload W --port P [sizes]
import BenchSupport

await ChildProcess.main { workload, sizes, port in
    try await URLSessionRunner.run(workload, sizes: sizes, port: port)
}
