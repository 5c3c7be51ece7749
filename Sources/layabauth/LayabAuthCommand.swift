import ArgumentParser
import LayabAuth

@main
struct LayabAuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layabauth",
        abstract: "Inspect, decode and verify OAuth2 bearer tokens (JWT).",
        subcommands: [DemoCommand.self],
        defaultSubcommand: DemoCommand.self
    )
}
