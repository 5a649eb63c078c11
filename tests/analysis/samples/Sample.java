package demo;

import java.util.List;
import java.util.*;

public class Sample {
    private int total = 0;

    public Sample(int start) {
        this.total = start;
    }

    int add(List<Integer> xs, int bias) {
        int s = bias;
        for (int x : xs) {
            if (x > 10) {
                s += x;
            } else if (x < 0) {
                throw new IllegalArgumentException("negative");
            } else {
                continue;
            }
        }
        try {
            s = helper(s);
        } catch (RuntimeException e) {
            log(e);
        } finally {
            total += s;
        }
        return s;
    }

    static int helper(int v) {
        switch (v) {
            case 1:
                v = 2;
            case 2:
                v = 3;
                break;
            default:
                v = 0;
        }
        while (v < 100) v *= 2;
        return Math.max(v, 0);
    }

    static String kind(int v) {
        String k = "none";
        switch (v) {
            case 1 -> k = "one";
            case 2 -> k = "two";
            default -> k = "many";
        }
        return k;
    }
}
