package org.tokenlab.experiments.prior;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * The synthetic "image–caption" world of the PRIOR analogue (papers.md §6.2). An image is an attribute
 * tuple (shape 8, colour 8, count 1–5, position 4, size 3). A caption is a word sequence from a template
 * grammar that mixes three token classes (logged for analysis, never shown to a model):
 * IMAGE slots (the attribute words), predictable BOILER plate ("a photo of", punctuation, end of
 * caption) and image-independent FILLER ("taken on a rainy morning"); optionally pure NOISE ids
 * ("by user u17"), which are hard for every model.
 *
 * <p>Two encodings of the same image mirror the paper's two settings: {@link #patches} (encoder-free,
 * 6 discrete tokens from a separate visual vocabulary: one per attribute plus a distractor) and
 * {@link #features} (with an encoder: a 40-d one-hot projection plus Gaussian noise σ = 0.3, which a
 * learned adapter maps to prefix vectors).
 */
public final class CaptionWorld {
    /** Attribute types, in tuple order. */
    public static final int SHAPE = 0, COLOUR = 1, COUNT = 2, POSITION = 3, SIZE = 4, ATTRIBUTES = 5;
    /** Values per attribute type. */
    public static final int[] ARITY = {8, 8, 5, 4, 3};
    static final String[][] VALUES = {
        {"circle", "square", "triangle", "star", "heart", "diamond", "cross", "moon"},
        {"red", "blue", "green", "yellow", "purple", "orange", "black", "white"},
        {"one", "two", "three", "four", "five"},
        {"left", "right", "top", "bottom"},
        {"small", "medium", "large"},
    };
    /** Token classes. */
    public static final byte IMAGE = 0, BOILER = 1, FILLER = 2, NOISE = 3;
    public static final String[] CLASS_NAMES = {"image", "boilerplate", "filler", "noise"};

    /** Caption templates; C count, Z size, K colour, S shape, P position, F a filler sentence. */
    static final String[] TEMPLATES = {
        "a photo of C Z K S on the P . F .",
        "in this picture we can see C K S on the P , they are Z . F .",
        "F . this image shows C Z K S at the P .",
        "we can see C Z K S in the P part of the image . F .",
    };
    /** Filler sentences: each slot {a|b|c} is an independent uniform choice. */
    static final String[] FILLERS = {
        "taken on a {sunny|rainy|cloudy|windy|quiet} {day|morning|evening|night}",
        "{nice|great|simple|poor|lovely} {composition|lighting|framing|focus}",
        "the photographer {likes|enjoys|prefers} {jazz|coffee|travel|books|films}",
    };
    /** Pure-noise photographer ids (P6). */
    static final int NOISE_IDS = 32;
    /** Dimension of the encoder feature vector and its noise. */
    public static final int FEATURE_DIM = 40;
    static final float FEATURE_NOISE = 0.3f;
    /** Encoder-free: 6 patch tokens; the visual vocabulary is every attribute value plus 8 distractors. */
    public static final int PATCHES = 6;
    static final int DISTRACTORS = 8;
    public static final int ONE_HOT = 28;
    public static final int VISUAL_VOCAB = ONE_HOT + DISTRACTORS;

    public static final int BOS = 0, EOS = 1;

    private final List<String> words = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    /** For each word id: attribute type·16 + value, or -1 when the word names no attribute. */
    private final int[] attributeOf;
    private final float[] projection; // (FEATURE_DIM, ONE_HOT)

    /** An image: one value index per attribute type (count value v means v+1 objects). */
    public record Image(int[] attr) {
        public int get(int type) {
            return attr[type];
        }
    }

    /** One caption of one image with its encodings; {@code tokens} ends with EOS and has no BOS. */
    public record Example(Image image, int[] tokens, byte[] classes, int[] patches, float[] features) {
    }

    /** The vocabulary, the templates and a fixed random projection drawn from {@code rng}. */
    public CaptionWorld(RandomStream rng) {
        word("<bos>");
        word("<eos>");
        for (String[] vs : VALUES) {
            for (String v : vs) {
                word(v);
            }
        }
        for (String t : TEMPLATES) {
            for (String w : t.split(" ")) {
                if (!(w.length() == 1 && "CZKSPF".contains(w))) {
                    word(w);
                }
            }
        }
        for (String f : FILLERS) {
            for (String w : f.replace("{", "").replace("}", "").replace("|", " ").split(" ")) {
                word(w);
            }
        }
        word("by");
        word("user");
        for (int i = 0; i < NOISE_IDS; i++) {
            word("u" + i);
        }
        attributeOf = new int[words.size()];
        java.util.Arrays.fill(attributeOf, -1);
        for (int t = 0; t < ATTRIBUTES; t++) {
            for (int v = 0; v < ARITY[t]; v++) {
                attributeOf[ids.get(VALUES[t][v])] = t * 16 + v;
            }
        }
        float s = (float) (1.0 / Math.sqrt(ATTRIBUTES));
        projection = new float[FEATURE_DIM * ONE_HOT];
        RandomStream p = rng.child("projection");
        for (int i = 0; i < projection.length; i++) {
            projection[i] = (float) (p.nextGaussian() * s);
        }
    }

    private void word(String w) {
        if (!ids.containsKey(w)) {
            ids.put(w, words.size());
            words.add(w);
        }
    }

    /** V, the number of caption word ids (BOS and EOS included). */
    public int vocabSize() {
        return words.size();
    }

    public String word(int id) {
        return words.get(id);
    }

    /** The attribute type named by word {@code id}, or -1. */
    public int attributeType(int id) {
        return attributeOf[id] < 0 ? -1 : attributeOf[id] / 16;
    }

    /** The attribute value named by word {@code id} (meaningful when {@link #attributeType} ≥ 0). */
    public int attributeValue(int id) {
        return attributeOf[id] % 16;
    }

    /** Every one of the 8·8·5·4·3 = 3 840 images, in a fixed order. */
    public static List<Image> allImages() {
        List<Image> all = new ArrayList<>();
        for (int a = 0; a < ARITY[0]; a++) {
            for (int b = 0; b < ARITY[1]; b++) {
                for (int c = 0; c < ARITY[2]; c++) {
                    for (int d = 0; d < ARITY[3]; d++) {
                        for (int e = 0; e < ARITY[4]; e++) {
                            all.add(new Image(new int[] {a, b, c, d, e}));
                        }
                    }
                }
            }
        }
        return all;
    }

    /** A caption of {@code img} (template, filler and noise id drawn from {@code rng}) with both encodings. */
    public Example caption(Image img, boolean noise, RandomStream rng) {
        List<Integer> toks = new ArrayList<>();
        List<Byte> cls = new ArrayList<>();
        String template = TEMPLATES[rng.nextInt(TEMPLATES.length)];
        for (String w : template.split(" ")) {
            switch (w) {
                case "C" -> add(toks, cls, VALUES[COUNT][img.get(COUNT)], IMAGE);
                case "Z" -> add(toks, cls, VALUES[SIZE][img.get(SIZE)], IMAGE);
                case "K" -> add(toks, cls, VALUES[COLOUR][img.get(COLOUR)], IMAGE);
                case "S" -> add(toks, cls, VALUES[SHAPE][img.get(SHAPE)], IMAGE);
                case "P" -> add(toks, cls, VALUES[POSITION][img.get(POSITION)], IMAGE);
                case "F" -> {
                    String f = FILLERS[rng.nextInt(FILLERS.length)];
                    for (String fw : f.split(" ")) {
                        if (fw.startsWith("{")) {
                            String[] options = fw.substring(1, fw.length() - 1).split("\\|");
                            add(toks, cls, options[rng.nextInt(options.length)], FILLER);
                        } else {
                            add(toks, cls, fw, FILLER);
                        }
                    }
                }
                default -> add(toks, cls, w, BOILER);
            }
        }
        if (noise) {
            // "... by user u17 ." : the id is independent of the image and of the text.
            toks.remove(toks.size() - 1);
            cls.remove(cls.size() - 1);
            add(toks, cls, "by", BOILER);
            add(toks, cls, "user", BOILER);
            add(toks, cls, "u" + rng.nextInt(NOISE_IDS), NOISE);
            add(toks, cls, ".", BOILER);
        }
        toks.add(EOS);
        cls.add(BOILER);
        int[] t = toks.stream().mapToInt(Integer::intValue).toArray();
        byte[] c = new byte[cls.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = cls.get(i);
        }
        return new Example(img, t, c, patches(img, rng.nextInt(DISTRACTORS)), features(img, rng));
    }

    private void add(List<Integer> toks, List<Byte> cls, String w, byte c) {
        Integer id = ids.get(w);
        if (id == null) {
            throw new IllegalStateException("CaptionWorld: word '" + w + "' is not in the vocabulary");
        }
        toks.add(id);
        cls.add(c);
    }

    /** Encoder-free input: one visual token per attribute, then a distractor token. */
    public static int[] patches(Image img, int distractor) {
        int[] p = new int[PATCHES];
        int base = 0;
        for (int t = 0; t < ATTRIBUTES; t++) {
            p[t] = base + img.get(t);
            base += ARITY[t];
        }
        p[ATTRIBUTES] = ONE_HOT + distractor;
        return p;
    }

    /** Encoder input: projection · one-hot(img) + N(0, σ²) noise, a (FEATURE_DIM) vector. */
    public float[] features(Image img, RandomStream rng) {
        float[] x = new float[FEATURE_DIM];
        int base = 0;
        for (int t = 0; t < ATTRIBUTES; t++) {
            int col = base + img.get(t);
            for (int i = 0; i < FEATURE_DIM; i++) {
                x[i] += projection[i * ONE_HOT + col];
            }
            base += ARITY[t];
        }
        for (int i = 0; i < FEATURE_DIM; i++) {
            x[i] += (float) (rng.nextGaussian() * FEATURE_NOISE);
        }
        return x;
    }

    /** The caption as words. */
    public String text(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (t == EOS) {
                break;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(words.get(t));
        }
        return sb.toString();
    }

    /** The image as words, e.g. "3 large red star, left". */
    public static String describe(Image img) {
        return (img.get(COUNT) + 1) + " " + VALUES[SIZE][img.get(SIZE)] + " " + VALUES[COLOUR][img.get(COLOUR)] + " "
                + VALUES[SHAPE][img.get(SHAPE)] + ", " + VALUES[POSITION][img.get(POSITION)];
    }
}
