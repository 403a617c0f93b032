package org.tokenlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tokenlab} command line: one entry point, one subcommand per file. */
@Command(name = "tokenlab", mixinStandardHelpOptions = true, version = "TokenLab 0.1.0",
        description = "A pure-Java research kernel: tensors, a GPT, and six token-level experiments.",
        subcommands = {InfoCommand.class, TrainCommand.class, ResumeCommand.class, ScoreCommand.class,
                GenerateCommand.class, BenchCommand.class})
public final class Main {
    private Main() {
    }

    /** Bad input (a config, a file, a value) is reported as one line naming what is wrong, no stack trace. */
    private static int userError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalStateException) {
            cmd.getErr().println("tokenlab " + cmd.getCommandName() + ": error: " + e.getMessage());
            return 2;
        }
        throw e;
    }

    public static void main(String[] args) {
        int rc = new CommandLine(new Main()).setExecutionExceptionHandler(Main::userError).execute(args);
        System.exit(rc);
    }
}
