import ArgumentParser
import HeedCLI

@main
struct Main {
    static func main() async {
        await HeedCommand.main()
    }
}
