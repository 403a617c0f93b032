package org.tokenlab.jmh;

/** JVM flags of every benchmark fork: the Vector API module, FFM, and Vector API bounds checks off. */
final class JvmFlags {
    static final String ADD_MODULES = "--add-modules=jdk.incubator.vector";
    static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    static final String NO_OOB = "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0";

    private JvmFlags() {
    }
}
