package io.famfs.meta.fsck;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** printf of a C {@code float}, as famfs prints its fsck ratios (famfs-format.md 2.1). */
final class CFormat {
    private CFormat() {}

    /**
     * {@code printf("%.Nf", f)}: C rounds the exact binary value half-to-even (Java's String.format rounds half-up);
     * infinity prints as {@code inf}, NaN as {@code nan}.
     */
    static String fixed(float f, int decimals) {
        if (Float.isInfinite(f)) {
            return f > 0 ? "inf" : "-inf";
        }
        if (Float.isNaN(f)) {
            return "nan";
        }
        return new BigDecimal((double) f)
                .setScale(decimals, RoundingMode.HALF_EVEN)
                .toPlainString();
    }
}
