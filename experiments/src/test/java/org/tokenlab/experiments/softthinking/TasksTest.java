package org.tokenlab.experiments.softthinking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;

class TasksTest {

    @Test
    void chainSumWritesTheRunningSumModTen() {
        Tasks.Problem p = Tasks.chainSum(new int[]{3, 5, 7}, true);
        assertEquals("Q: 3 5 7 ? <think>", Tasks.text(p.prompt()));
        assertEquals("3 + 5 = 8 8 + 7 = 5 </think> A: 5 <eos>", Tasks.text(p.target()));
        assertEquals(5, p.answer());
        Tasks.Problem d = Tasks.chainSum(new int[]{3, 5, 7}, false);
        assertEquals("Q: 3 5 7 ? A: 5 <eos>", Tasks.text(d.sequence()));
    }

    @Test
    void cotIsFiveTokensPerStepAndTheLongestOodProblemFitsTheBlock() {
        for (int n = 4; n <= 10; n++) {
            Tasks.Problem p = Tasks.chainSum(RandomStream.root(n), n, true);
            assertEquals(5 * (n - 1) + 1, Tasks.thinkingLength(p.target()));
            assertTrue(p.sequence().length <= 64, "n=" + n + " needs " + p.sequence().length);
        }
    }

    @Test
    void correctReadsTheAnswerAfterTheThinking() {
        Tasks.Problem p = Tasks.chainSum(new int[]{3, 5, 7}, true);
        assertTrue(Tasks.correct(p, p.target()));
        int[] wrong = p.target().clone();
        wrong[wrong.length - 2] = 4; // the answer digit
        assertFalse(Tasks.correct(p, wrong));
        // An "A: 5" inside the thinking does not count: only the answer after </think> does.
        int[] noEnd = {Tasks.ANS, 5, Tasks.EOS};
        assertTrue(Tasks.correct(Tasks.chainSum(new int[]{3, 5, 7}, false), noEnd));
        int[] truncated = {3, Tasks.PLUS, 5, Tasks.END_THINK, Tasks.ANS};
        assertFalse(Tasks.correct(p, truncated));
    }

    @Test
    void pathFindingGivesValidPathsAndRejectsBrokenOnes() {
        for (int i = 0; i < 50; i++) {
            Tasks.Problem p = Tasks.pathFinding(RandomStream.root(7).child(i), 8 + i % 3, 64);
            assertTrue(p.sequence().length <= 64);
            assertTrue(Tasks.correct(p, p.target()), Tasks.text(p.sequence()));
            int end = Tasks.indexOf(p.target(), Tasks.END_THINK);
            int[] skip = Arrays.copyOf(new int[]{p.source(), p.sink(), Tasks.END_THINK}, 3);
            boolean direct = p.edges()[p.source()][p.sink()];
            assertEquals(direct, Tasks.correct(p, skip));
            int[] wrongStart = p.target().clone();
            wrongStart[0] = (wrongStart[0] + 1) % 10;
            assertFalse(Tasks.correct(p, wrongStart));
            assertTrue(end >= 2);
        }
    }

    @Test
    void trainingExamplesMaskThePrompt() {
        Tasks.Problem p = Tasks.chainSum(new int[]{1, 2}, true);
        var e = Tasks.example(p);
        int[] seq = p.sequence();
        assertArrayEquals(Arrays.copyOf(seq, seq.length - 1), e.inputs());
        for (int i = 0; i < e.targets().length; i++) {
            int want = i < p.prompt().length - 1 ? Batch.IGNORE : seq[i + 1];
            assertEquals(want, e.targets()[i], "position " + i);
        }
    }
}
