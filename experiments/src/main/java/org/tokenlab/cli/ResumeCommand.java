package org.tokenlab.cli;

import org.tokenlab.transformer.train.Run;
import org.tokenlab.transformer.train.TrainState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tokenlab resume DIR}: continues a run from its newest checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run from its newest checkpoint; ends with the same weights as an uninterrupted run.")
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The run folder.")
    Path dir;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        runtime.apply(Run.recordedMatmul(dir)); // the run's own precision unless --matmul says otherwise
        TrainState s = Run.resume(dir, System.out);
        System.out.printf("done: %d steps, %d tokens, %.1f s -> %s%n", s.step(), s.tokens(), s.elapsedSeconds(), dir);
        return 0;
    }
}
