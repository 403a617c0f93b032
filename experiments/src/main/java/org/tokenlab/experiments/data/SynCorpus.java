package org.tokenlab.experiments.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * SYN, the synthetic English-like corpus (papers.md §0.5): short stories from a probabilistic grammar
 * over a lexicon of about 450 word forms, with subject–verb agreement (number and person), pronouns that
 * follow their antecedent's gender and number, dialogue, questions, subordinate clauses, punctuation and
 * paragraphs. Its alphabet is small (≈ 55 distinct bytes: letters, space, newline, {@code . , ! ? "}).
 *
 * <p>Document {@code i} is a pure function of (seed, i): it is drawn from the stream
 * {@code root(seed).child("syn").child(i)}, so any document can be generated alone and the corpus is
 * identical for every thread count. Documents are assigned to splits by index ({@link Split}), so the
 * train, validation and hyperfit splits never share a document.
 */
public final class SynCorpus {

    /** Disjoint document splits: of every 10 consecutive documents, 8 train, 1 validation, 1 hyperfit. */
    public enum Split {
        TRAIN, VALIDATION, HYPERFIT;

        /** Whether document {@code index} belongs to this split. */
        public boolean contains(long index) {
            int r = (int) Math.floorMod(index, 10L);
            return switch (this) {
                case TRAIN -> r < 8;
                case VALIDATION -> r == 8;
                case HYPERFIT -> r == 9;
            };
        }
    }

    private final long seed;
    private final Lexicon lex = Lexicon.DEFAULT;

    public SynCorpus(long seed) {
        this.seed = seed;
    }

    /** The first {@code nBytes} bytes of documents 0, 1, 2, ... concatenated (all splits). */
    public static byte[] generate(long seed, int nBytes) {
        SynCorpus c = new SynCorpus(seed);
        return c.concat(i -> true, nBytes);
    }

    /** The first {@code nBytes} bytes of the documents of {@code split}, concatenated in index order. */
    public byte[] split(Split split, int nBytes) {
        return concat(split::contains, nBytes);
    }

    /** The first {@code count} documents of {@code split}. */
    public List<String> documents(Split split, int count) {
        List<String> docs = new ArrayList<>(count);
        for (long i = 0; docs.size() < count; i++) {
            if (split.contains(i)) {
                docs.add(document(i));
            }
        }
        return docs;
    }

    private byte[] concat(java.util.function.LongPredicate keep, int nBytes) {
        if (nBytes < 0) {
            throw new IllegalArgumentException("SYN: nBytes must be ≥ 0, got " + nBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(nBytes + 4096);
        for (long i = 0; out.size() < nBytes; i++) {
            if (keep.test(i)) {
                out.writeBytes(document(i).getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] all = out.toByteArray();
        return all.length == nBytes ? all : java.util.Arrays.copyOf(all, nBytes);
    }

    /** Document {@code index}: 2–5 paragraphs, each a line, followed by a blank line. */
    public String document(long index) {
        return new Story(RandomStream.root(seed).child("syn").child(index)).tell();
    }

    /** One story's state: its random stream and its two characters. */
    private final class Story {
        private final RandomStream r;
        private final String hero;
        private final boolean heroShe;
        private final String friend;
        private final boolean friendShe;
        private final String place;

        Story(RandomStream r) {
            this.r = r;
            this.heroShe = r.nextInt(2) == 0;
            this.hero = pick(heroShe ? "name_she" : "name_he")[0];
            this.friendShe = r.nextInt(2) == 0;
            String f = pick(friendShe ? "name_she" : "name_he")[0];
            this.friend = f.equals(hero) ? (friendShe ? "Una" : "Ivan") : f;
            this.place = pick("place")[0];
        }

        String tell() {
            StringBuilder doc = new StringBuilder();
            int paragraphs = 2 + r.nextInt(4);
            for (int p = 0; p < paragraphs; p++) {
                List<String> sentences = new ArrayList<>();
                if (p == 0) {
                    sentences.add(opening());
                }
                int n = 2 + r.nextInt(5);
                for (int s = 0; s < n; s++) {
                    sentences.add(sentence());
                }
                if (p == paragraphs - 1) {
                    sentences.add(ending());
                }
                doc.append(String.join(" ", sentences)).append("\n\n");
            }
            return doc.toString();
        }

        private String opening() {
            return switch (r.nextInt(3)) {
                case 0 -> cap("once upon a time, there was a " + adj() + " " + (heroShe ? "girl" : "boy") + " named " + hero + ".");
                case 1 -> cap(hero + " lived in a " + adj() + " house near the " + place + ".");
                default -> cap(time() + ", " + hero + " and " + friend + " went to the " + place + ".");
            };
        }

        private String ending() {
            return switch (r.nextInt(3)) {
                case 0 -> cap("in the end, " + hero + " was " + pick("feeling")[0] + ".");
                case 1 -> cap("and so " + hero + " and " + friend + " went home together.");
                default -> cap("that was the last time " + hero + " saw the " + pick("noun")[0] + ".");
            };
        }

        private String sentence() {
            int k = r.nextInt(100);
            if (k < 30) {
                return cap(clausePast()) + ".";
            } else if (k < 45) {
                return cap(clausePresent()) + ".";
            } else if (k < 55) {
                return cap(clausePast() + (r.nextInt(2) == 0 ? ", and " : ", but ") + clausePast()) + ".";
            } else if (k < 63) {
                return cap("when " + clausePast() + ", " + clausePast()) + ".";
            } else if (k < 73) {
                return dialogue();
            } else if (k < 80) {
                return question();
            } else if (k < 90) {
                boolean she = r.nextInt(2) == 0 ? heroShe : friendShe;
                return cap(pronoun(she) + " was " + (r.nextInt(3) == 0 ? "very " : "") + pick("feeling")[0]) + ".";
            } else {
                return cap(time() + ", " + clausePast()) + (r.nextInt(5) == 0 ? "!" : ".");
            }
        }

        /** A past-tense clause: subject, verb, optional object, adverb, prepositional phrase. */
        private String clausePast() {
            Subject s = subject();
            StringBuilder b = new StringBuilder(s.text);
            if (r.nextInt(2) == 0) {
                b.append(' ').append(pick("verb_t")[2]).append(' ').append(nounPhrase(r.nextInt(3) == 0));
            } else {
                b.append(' ').append(pick("verb_i")[2]);
            }
            return tail(b);
        }

        /** A present-tense clause: the verb agrees with its subject in number and person. */
        private String clausePresent() {
            Subject s = subject();
            StringBuilder b = new StringBuilder(s.text).append(' ');
            boolean transitive = r.nextInt(2) == 0;
            String[] v = pick(transitive ? "verb_t" : "verb_i");
            b.append(s.thirdSingular ? v[1] : v[0]);
            if (transitive) {
                b.append(' ').append(nounPhrase(r.nextInt(3) == 0));
            }
            return tail(b);
        }

        private String tail(StringBuilder b) {
            if (r.nextInt(3) == 0) {
                b.append(' ').append(pick("adv")[0]);
            }
            if (r.nextInt(2) == 0) {
                b.append(' ').append(pick("prep")[0]).append(" the ").append(r.nextInt(2) == 0 ? place : pick("place")[0]);
            }
            return b.toString();
        }

        private String dialogue() {
            String who = r.nextInt(2) == 0 ? hero : friend;
            String said = switch (r.nextInt(4)) {
                case 0 -> "said";
                case 1 -> "asked";
                case 2 -> "whispered";
                default -> "shouted";
            };
            String line = switch (r.nextInt(4)) {
                case 0 -> "I want the " + adj() + " " + pick("noun")[0];
                case 1 -> "where is the " + pick("noun")[0];
                case 2 -> "we must go to the " + pick("place")[0];
                default -> "the " + pick("noun")[1] + " are " + adj();
            };
            String end = said.equals("asked") || line.startsWith("where") ? "?" : said.equals("shouted") ? "!" : ",";
            return "\"" + cap(line) + end + "\" " + said + " " + who + ".";
        }

        private String question() {
            Subject s = subject();
            String[] v = pick("verb_t");
            String aux = r.nextInt(3) == 0 ? "did" : s.thirdSingular ? "does" : "do";
            return cap(aux + " " + s.text + " " + v[0] + " the " + pick("noun")[r.nextInt(2)]) + "?";
        }

        /** A clause subject; {@code thirdSingular} selects "runs" over "run" and "does" over "do". */
        private record Subject(String text, boolean thirdSingular) {
        }

        private Subject subject() {
            int k = r.nextInt(10);
            if (k < 3) {
                boolean plural = r.nextInt(3) == 0;
                return new Subject(nounPhrase(plural), !plural);
            } else if (k < 5) {
                return new Subject(r.nextInt(2) == 0 ? hero : friend, true);
            } else if (k < 7) {
                boolean she = r.nextInt(2) == 0 ? heroShe : friendShe;
                return new Subject(pronoun(she), true);
            } else if (k < 8) {
                return new Subject(hero + " and " + friend, false);
            } else if (k < 9) {
                return new Subject("they", false);
            } else {
                return new Subject(r.nextInt(2) == 0 ? "I" : "we", false);
            }
        }

        private String nounPhrase(boolean plural) {
            String[] n = pick("noun");
            StringBuilder b = new StringBuilder();
            if (plural) {
                b.append(r.nextInt(3) == 0 ? pick("count")[0] : "the");
            } else {
                b.append(r.nextInt(3) == 0 ? "a" : "the");
            }
            if (r.nextInt(2) == 0) {
                b.append(' ').append(adj());
            }
            b.append(' ').append(plural ? n[1] : n[0]);
            String s = b.toString();
            // "a" before a vowel sound becomes "an"
            return s.startsWith("a ") && "aeiou".indexOf(s.charAt(2)) >= 0 ? "an" + s.substring(1) : s;
        }

        private String pronoun(boolean she) {
            return she ? "she" : "he";
        }

        private String adj() {
            return pick("adj")[0];
        }

        private String time() {
            return String.join(" ", pick("time"));
        }

        private String[] pick(String section) {
            List<String[]> list = lex.section(section);
            return list.get(r.nextInt(list.size()));
        }
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
