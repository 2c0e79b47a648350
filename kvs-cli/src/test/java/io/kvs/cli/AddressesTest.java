package io.kvs.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --addr: literal addresses parsed, host names resolved, and each shown as the user gave it. */
class AddressesTest {

    /** Regression: "--addr localhost:4000" was refused. */
    @Test
    void hostNamesAreResolved() throws Exception {
        InetSocketAddress address = Addresses.parse("localhost:4000", false);
        assertEquals(InetAddress.getByName("localhost"), address.getAddress());
        assertEquals(4000, address.getPort());
        assertEquals("localhost:4321", Addresses.display("localhost:0", 4321));
    }

    @Test
    void literalAddressesAreParsedAndShownInTheirNormalForm() {
        assertEquals(new InetSocketAddress("127.0.0.1", 4000), Addresses.parse("127.0.0.1:4000", false));
        assertEquals("0.0.0.0:4000", Addresses.display("0.0.0.0:4000", 4000));
        assertEquals("[::1]:5000", Addresses.display("[0:0:0:0:0:0:0:1]:0", 5000));
        assertEquals("127.0.0.1:4000", Addresses.display(Addresses.DEFAULT, 4000));
    }

    @Test
    void malformedAddressesAreRefusedWithASentence() {
        for (String bad : new String[]{"nonsense", "1.2.3", "1.2.3:4000", "256.0.0.1:4000", "::1:4000", "localhost",
                "127.0.0.1:99999", "host_name:1", ":4000", "-x:4000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Addresses.parse(bad, true), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse("127.0.0.1:0", false));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Addresses.parse("no-such-host.invalid:4000", false));
        assertEquals("cannot resolve host 'no-such-host.invalid' in address 'no-such-host.invalid:4000'", unknown.getMessage());
    }
}
