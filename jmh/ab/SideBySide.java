import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two or more builds of TokenLab in one JVM, each in its own class loader, and one probe class run in each
 * in turn, round after round (the order rotated each round), so that a slow minute of this shared machine
 * hits every build alike. A probe is a class with {@code public static double[] measure(int iters)} that
 * returns its metrics (times or rates, each a median over {@code iters} calls); see probes/.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector SideBySide PROBE ITERS ROUNDS PROBE_DIR JAR_A JAR_B [JAR_C ...]
 * </pre>
 * Prints every round, then per build and metric the median (and quartiles) of its ratio to JAR_A's value in
 * the same round, leaving out the first two rounds (JIT warm-up). Each build has its own copies of every class,
 * so its own JIT profiles and thread pool; the vector module is shared.
 */
public final class SideBySide {
    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: SideBySide PROBE ITERS ROUNDS PROBE_DIR JAR_A JAR_B [JAR_C ...]");
            System.exit(2);
        }
        String probe = args[0];
        int iters = Integer.parseInt(args[1]), rounds = Integer.parseInt(args[2]);
        if (rounds < 3) {
            throw new IllegalArgumentException("ROUNDS must be at least 3 (the first two are warm-up), got " + rounds);
        }
        URL probes = Path.of(args[3]).toUri().toURL();
        int n = args.length - 4;
        String[] names = new String[n];
        Method[] measure = new Method[n];
        ClassLoader[] loaders = new ClassLoader[n];
        for (int i = 0; i < n; i++) {
            Path jar = Path.of(args[4 + i]);
            names[i] = jar.getFileName().toString();
            loaders[i] = new URLClassLoader(new URL[] {jar.toUri().toURL(), probes}, ClassLoader.getPlatformClassLoader());
            measure[i] = loaders[i].loadClass(probe).getMethod("measure", int.class);
        }
        List<List<double[]>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < n; j++) {
                int i = (j + r) % n;
                Thread.currentThread().setContextClassLoader(loaders[i]); // ServiceLoader finds this build's backends
                results.get(i).add((double[]) measure[i].invoke(null, iters));
            }
            StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
            for (int i = 0; i < n; i++) {
                line.append("  ").append(names[i]).append(' ').append(format(results.get(i).get(r)));
            }
            System.out.println(line);
        }
        int metrics = results.get(0).get(0).length;
        for (int i = 1; i < n; i++) {
            StringBuilder line = new StringBuilder(names[i] + " / " + names[0] + ", median ratio per metric (quartiles), rounds 3–" + rounds + ":");
            for (int q = 0; q < metrics; q++) {
                double[] ratios = new double[rounds - 2];
                for (int r = 2; r < rounds; r++) {
                    ratios[r - 2] = results.get(i).get(r)[q] / results.get(0).get(r)[q];
                }
                Arrays.sort(ratios);
                int m = ratios.length;
                double median = m % 2 == 1 ? ratios[m / 2] : (ratios[m / 2 - 1] + ratios[m / 2]) / 2;
                line.append(String.format(" %.3f (%.3f–%.3f)", median, ratios[m / 4], ratios[(3 * m) / 4]));
            }
            System.out.println(line);
        }
        System.exit(0);
    }

    private static String format(double[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%.3f", v[i]));
        }
        return s.append(']').toString();
    }
}
