package io.kvs.net.command;

import io.kvs.core.Entry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

import java.util.List;

/**
 * INCRBYFLOAT key increment: adds {@code increment} to the number held by the key (0 if none)
 * and answers the result as a string; keeps the expiry. The sum is exact decimal arithmetic
 * rounded to 17 decimal places, printed in plain notation without trailing zeros, as Redis
 * prints it ({@code 10.5 + 0.1} is {@code 10.6}, {@code 5.0e3 + 2.0e2} is {@code 5200}); Redis
 * adds in 80-bit binary floating point, so a sum of many-digit operands may differ from it in
 * the last places. {@code increment} is null for an infinite increment, which always fails.
 */
public record IncrByFloat(byte[] key, BigDecimal increment) implements DataCommand {

    /** Decimal places kept, as Redis's {@code %.17Lf}. */
    private static final int SCALE = 17;
    /** Beyond a long double's range (about 1.19e4932), Redis's parse fails. */
    private static final int MAX_EXPONENT = 4932;

    static IncrByFloat parse(Arguments args) {
        byte[] text = args.bytes(2);
        if (Arguments.tryParseDecimal(text) == null) {
            throw new InvalidCommandException(Reply.err("value is not a valid float"));
        }
        return new IncrByFloat(args.bytes(1), decimal(text));
    }

    /** {@code text} (a valid float) as a decimal, or null if it is infinite. */
    private static BigDecimal decimal(byte[] text) {
        double value = Arguments.tryParseDecimal(text);
        if (Double.isInfinite(value) && !looksFinite(text)) {
            return null;
        }
        return new BigDecimal(new String(text, StandardCharsets.ISO_8859_1));
    }

    /** True unless {@code text} spells infinity (a finite number may still be too large for a double). */
    private static boolean looksFinite(byte[] text) {
        for (byte b : text) {
            if (b == 'i' || b == 'I') {
                return false;
            }
        }
        return true;
    }

    private static boolean inRange(BigDecimal value) {
        if (value.signum() == 0) {
            return true;
        }
        int exponent = value.precision() - value.scale();
        return exponent <= MAX_EXPONENT && exponent >= -MAX_EXPONENT;
    }

    @Override
    public Reply apply(Keys keys) {
        Reply[] reply = new Reply[1];
        keys.update(key, current -> {
            BigDecimal old = BigDecimal.ZERO;
            if (current != null) {
                BigDecimal parsed = Arguments.tryParseDecimal(current.value()) == null ? null : decimal(current.value());
                if (Arguments.tryParseDecimal(current.value()) == null || parsed != null && !inRange(parsed)) {
                    reply[0] = Reply.err("value is not a valid float");
                    return current;
                }
                if (parsed == null) {
                    reply[0] = Reply.err("increment would produce NaN or Infinity");
                    return current;
                }
                old = parsed;
            }
            if (increment == null || !inRange(increment)) {
                reply[0] = Reply.err(increment == null ? "increment would produce NaN or Infinity" : "value is not a valid float");
                return current;
            }
            byte[] value = format(old.add(increment)).getBytes(StandardCharsets.US_ASCII);
            reply[0] = new Reply.Bulk(value);
            return current == null ? Entry.of(value) : current.withValue(value);
        });
        return reply[0];
    }

    /** {@code value} rounded to 17 decimal places, in plain notation, without trailing zeros; never {@code -0}. */
    static String format(BigDecimal value) {
        BigDecimal rounded = value.setScale(SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (rounded.signum() == 0) {
            return "0";
        }
        return rounded.toPlainString();
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("INCRBYFLOAT").add(key).add(increment == null ? "inf" : increment.toString()).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
