package io.kvs.net.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number as a C {@code long double} holds it on x86-64, the x87 80-bit extended format (a
 * 64-bit significand, binary exponents up to 16383, subnormals down to 2^-16445): what Redis's
 * INCRBYFLOAT reads, adds and prints, so that kvs answers it digit for digit as Redis does
 * ({@code 1000 + 0.1} is {@code 1000.09999999999999998} there, not {@code 1000.1}).
 *
 * <ul>
 *   <li>{@link #parse} reads text as glibc's {@code strtold} does, with Redis's checks
 *       ({@code string2ld}): decimal or hexadecimal ({@code 0x1.8p3}) notation or an infinity, no
 *       space around it, not NaN, not so large that it overflows or so small that it becomes 0.
 *   <li>{@link #add} rounds the exact sum to the nearest value of the format, ties to even, as
 *       the FPU does.
 *   <li>{@link #format} prints as Redis does: {@code %.17Lf} without trailing zeros, never
 *       {@code -0}.
 * </ul>
 *
 * Values are held exactly, as BigDecimal. Immutable.
 */
final class LongDouble {

    /** Bits of the significand. */
    private static final int SIGNIFICAND_BITS = 64;
    /** The exponent of the smallest subnormal, 2^-16445: no value has finer bits. */
    private static final int MIN_QUANTUM_EXPONENT = -16445;
    /** The largest binary exponent: 2^16384 and beyond overflow. */
    private static final int MAX_EXPONENT = 16383;
    /** The longest text Redis reads as a long double (its buffer is 5 KiB with the NUL). */
    static final int MAX_TEXT_BYTES = 5 * 1024 - 1;
    /** Decimal places Redis prints. */
    private static final int PRINTED_DECIMALS = 17;
    /** A decimal exponent beyond which any non-zero significand overflows or underflows. */
    private static final long DECIMAL_EXPONENT_LIMIT = 20_000;
    private static final Pattern DECIMAL = Pattern.compile("([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d+))?");
    private static final Pattern HEX = Pattern.compile("([+-]?)0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?(?:[pP]([+-]?\\d+))?");
    private static final Pattern INFINITY = Pattern.compile("([+-]?)(?i:inf|infinity)");

    /** Zero. */
    static final LongDouble ZERO = new LongDouble(BigDecimal.ZERO, 0);

    /** The exact value; zero when infinite. */
    private final BigDecimal value;
    /** 1 or -1 for an infinity, 0 for a finite value. */
    private final int infinity;

    private LongDouble(BigDecimal value, int infinity) {
        this.value = value;
        this.infinity = infinity;
    }

    /** The value of {@code text}, or null if Redis would not read it as a long double. */
    static LongDouble parse(byte[] text) {
        if (text.length == 0 || text.length > MAX_TEXT_BYTES) {
            return null;
        }
        String s = new String(text, StandardCharsets.ISO_8859_1);
        Matcher m;
        if ((m = INFINITY.matcher(s)).matches()) {
            return new LongDouble(BigDecimal.ZERO, m.group(1).equals("-") ? -1 : 1);
        }
        boolean hex = (m = HEX.matcher(s)).matches();
        if (!hex && !(m = DECIMAL.matcher(s)).matches()) {
            return null;
        }
        String whole = m.group(2);
        String fraction = m.group(3) == null ? "" : m.group(3);
        if (whole.isEmpty() && fraction.isEmpty()) {
            return null;
        }
        boolean negative = m.group(1).equals("-");
        long exponent = m.group(4) == null ? 0 : saturatedLong(m.group(4));
        BigInteger digits = new BigInteger(whole + fraction, hex ? 16 : 10);
        if (digits.signum() == 0) {
            return ZERO;
        }
        if (negative) {
            digits = digits.negate();
        }
        LongDouble parsed = hex ? fromBinary(digits, exponent - 4L * fraction.length())
                : fromDecimal(digits, exponent - fraction.length());
        // strtold overflows to infinity, or underflows to zero, with ERANGE: Redis refuses both.
        return parsed == null || parsed.isInfinite() || parsed.value.signum() == 0 ? null : parsed;
    }

    /** True for an infinity. */
    boolean isInfinite() {
        return infinity != 0;
    }

    /** The sum, rounded to the format; an infinity if it overflows; null if it is NaN (infinities of both signs). */
    LongDouble add(LongDouble other) {
        if (isInfinite() || other.isInfinite()) {
            if (isInfinite() && other.isInfinite() && infinity != other.infinity) {
                return null;
            }
            return isInfinite() ? this : other;
        }
        BigDecimal sum = value.add(other.value);
        if (sum.signum() == 0) {
            return ZERO;
        }
        BigInteger unscaled = sum.unscaledValue();
        int scale = sum.scale();
        return scale <= 0 ? round(unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE)
                : round(unscaled, BigInteger.TEN.pow(scale));
    }

    /** As Redis prints it: {@code %.17Lf}, trailing zeros (and a trailing point) removed, {@code 0} for any zero. */
    String format() {
        if (isInfinite()) {
            return infinity > 0 ? "inf" : "-inf";
        }
        BigDecimal printed = value.setScale(PRINTED_DECIMALS, RoundingMode.HALF_EVEN);
        if (printed.signum() == 0) {
            return "0";
        }
        return printed.stripTrailingZeros().toPlainString();
    }

    /** {@code digits × 10^exponent}, rounded; null if it is far out of range (checked before any big power is computed). */
    private static LongDouble fromDecimal(BigInteger digits, long exponent) {
        long magnitude = exponent + digits.abs().toString().length();
        if (magnitude > DECIMAL_EXPONENT_LIMIT / 4) {
            return new LongDouble(BigDecimal.ZERO, digits.signum());
        }
        if (magnitude < -DECIMAL_EXPONENT_LIMIT / 4) {
            return ZERO;
        }
        int e = (int) exponent;
        return e >= 0 ? round(digits.multiply(BigInteger.TEN.pow(e)), BigInteger.ONE)
                : round(digits, BigInteger.TEN.pow(-e));
    }

    /** {@code digits × 2^exponent}, rounded. */
    private static LongDouble fromBinary(BigInteger digits, long exponent) {
        long magnitude = exponent + digits.abs().bitLength();
        if (magnitude > MAX_EXPONENT + 2) {
            return new LongDouble(BigDecimal.ZERO, digits.signum());
        }
        if (magnitude < MIN_QUANTUM_EXPONENT - 2) {
            return ZERO;
        }
        int e = (int) exponent;
        return e >= 0 ? round(digits.shiftLeft(e), BigInteger.ONE) : round(digits, BigInteger.ONE.shiftLeft(-e));
    }

    /**
     * The value of the format nearest to {@code p / q} ({@code q > 0}, {@code p} not 0), ties to
     * even: an infinity if it overflows, zero if it underflows.
     */
    private static LongDouble round(BigInteger p, BigInteger q) {
        int sign = p.signum();
        BigInteger n = p.abs();
        // e = floor(log2(n / q)): n / q lies in [2^(e-1), 2^(e+1)) for the first guess.
        int e = n.bitLength() - q.bitLength();
        if (e >= 0 ? n.compareTo(q.shiftLeft(e)) < 0 : n.shiftLeft(-e).compareTo(q) < 0) {
            e--;
        }
        if (e > MAX_EXPONENT) {
            return new LongDouble(BigDecimal.ZERO, sign);
        }
        int quantum = Math.max(e - (SIGNIFICAND_BITS - 1), MIN_QUANTUM_EXPONENT);
        BigInteger numerator = quantum >= 0 ? n : n.shiftLeft(-quantum);
        BigInteger denominator = quantum >= 0 ? q.shiftLeft(quantum) : q;
        BigInteger[] divided = numerator.divideAndRemainder(denominator);
        BigInteger significand = divided[0];
        int half = divided[1].shiftLeft(1).compareTo(denominator);
        if (half > 0 || half == 0 && significand.testBit(0)) {
            significand = significand.add(BigInteger.ONE);
        }
        if (significand.bitLength() > SIGNIFICAND_BITS) {
            // Rounded up to 2^64: one bit more of exponent, exactly.
            significand = significand.shiftRight(1);
            quantum++;
            if (e + 1 > MAX_EXPONENT) {
                return new LongDouble(BigDecimal.ZERO, sign);
            }
        }
        if (significand.signum() == 0) {
            return ZERO;
        }
        if (sign < 0) {
            significand = significand.negate();
        }
        BigDecimal exact = quantum >= 0 ? new BigDecimal(significand.shiftLeft(quantum))
                : new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow(-quantum)), -quantum);
        return new LongDouble(exact, 0);
    }

    /** A decimal exponent, saturated far beyond any that matters. */
    private static long saturatedLong(String digits) {
        String unsigned = digits.startsWith("+") || digits.startsWith("-") ? digits.substring(1) : digits;
        String trimmed = unsigned.replaceFirst("^0+(?=.)", "");
        long value = trimmed.length() > 9 ? DECIMAL_EXPONENT_LIMIT * 10 : Long.parseLong(trimmed);
        return digits.startsWith("-") ? -value : value;
    }
}
