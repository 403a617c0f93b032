package org.tokenlab.theory.coding;

/**
 * The compressed token streams of EqualInfoAC (papers.md §3) in one place: each method turns a chunk
 * of bytes into N-bit tokens plus its accounting. M2 trains on {@link Result#tokens()}.
 */
public final class Compressors {
    private Compressors() {
    }

    /** Tokens of one compressed chunk and its accounting. */
    public record Result(int[] tokens, CompressionStats stats) {
    }

    /** AC (or StaticAC, with a {@link StaticModel}) over the whole chunk: one reset, shortest final point. */
    public static Result arithmetic(ProbabilityModel model, byte[] chunk, int tokenBits) {
        BitBuffer bits = ArithmeticCoding.encodeBytes(model, chunk);
        return new Result(BitTokens.toTokens(bits, tokenBits), new CompressionStats(chunk.length, bits.length(), tokenBits));
    }

    /** EqualInfoAC[W]: windows of exactly W bits (padding counted), the model reset per window. */
    public static Result equalInfo(ProbabilityModel model, byte[] chunk, int windowBits, int tokenBits) {
        EqualInfoWindows.Encoded enc = EqualInfoWindows.encode(model, Symbols.fromBytes(chunk), windowBits);
        return new Result(BitTokens.toTokens(enc.bits(), tokenBits),
                new CompressionStats(chunk.length, enc.bits().length(), tokenBits));
    }

    /** GZip: zlib at the default level, header and trailer included. */
    public static Result gzip(byte[] chunk, int tokenBits) {
        byte[] z = DeflateBaseline.compress(chunk);
        return new Result(BitTokens.bytesToTokens(z, tokenBits), new CompressionStats(chunk.length, 8L * z.length, tokenBits));
    }

    /** Bytes: the identity (8 bits per byte), for the same accounting. */
    public static Result bytes(byte[] chunk, int tokenBits) {
        return new Result(BitTokens.bytesToTokens(chunk, tokenBits), new CompressionStats(chunk.length, 8L * chunk.length, tokenBits));
    }
}
