package org.tokenlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tokenlab} command line: one entry point, one subcommand per file. */
@Command(name = "tokenlab", mixinStandardHelpOptions = true, version = "TokenLab 0.1.0",
        description = "A pure-Java research kernel: tensors, a GPT, and six token-level experiments.",
        subcommands = {InfoCommand.class})
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int rc = new CommandLine(new Main()).execute(args);
        System.exit(rc);
    }
}
