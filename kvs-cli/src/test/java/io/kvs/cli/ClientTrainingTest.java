package io.kvs.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** The training run behind bin/kvs-client's class-data archive goes through the success paths. */
class ClientTrainingTest {

    @Test
    void trainingRunSetsGetsAndRemovesAgainstItsOwnStandInServer() {
        // ClientTraining checks each command's exit code and throws on a surprise, for example
        // when a command fails on the connection and would archive only the error path.
        assertDoesNotThrow(() -> ClientTraining.main(new String[0]));
    }
}
