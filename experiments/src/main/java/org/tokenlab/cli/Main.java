package org.tokenlab.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tokenlab} command line: one entry point, one subcommand per file. */
@Command(name = "tokenlab", mixinStandardHelpOptions = true, version = "TokenLab 0.1.0",
        description = "A pure-Java research kernel: tensors, a GPT, and six token-level experiments.",
        subcommands = {InfoCommand.class, RunCommand.class, ListCommand.class, ReportCommand.class, DataCommand.class,
                TrainCommand.class, ResumeCommand.class, ScoreCommand.class, GenerateCommand.class, BenchCommand.class, BpeCommand.class})
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests execute it without exiting the JVM). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // Bad input (a missing folder, a corrupt file, an unknown id) gets one clear line, not a stack trace.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof UncheckedIOException) {
                commandLine.getErr().println("tokenlab: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl;
    }
}
