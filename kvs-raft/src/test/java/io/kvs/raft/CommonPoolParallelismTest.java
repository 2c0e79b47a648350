package io.kvs.raft;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CommonPoolParallelismTest {

    @Test
    void raisesParallelismToTwoOnMachinesWithFewerThanThreeCores() {
        assertEquals("2", CommonPoolParallelism.parallelismFor(1, null));
        assertEquals("2", CommonPoolParallelism.parallelismFor(2, null));
    }

    @Test
    void leavesTheJdkChoiceOnLargerMachines() {
        assertNull(CommonPoolParallelism.parallelismFor(3, null));
        assertNull(CommonPoolParallelism.parallelismFor(64, null));
    }

    @Test
    void leavesAParallelismTheUserChose() {
        assertNull(CommonPoolParallelism.parallelismFor(2, "1"));
        assertNull(CommonPoolParallelism.parallelismFor(2, "8"));
    }
}
