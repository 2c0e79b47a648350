package io.kvs.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The order in which the comparison drives the two servers. */
class CompareMainTest {

    @Test
    void eachServerGoesFirstInAlternateRounds() {
        for (int round = 1; round < 20; round++) {
            assertNotEquals(CompareMain.kvsFirst(round), CompareMain.kvsFirst(round + 1), "rounds " + round + " and " + (round + 1));
        }
    }
}
