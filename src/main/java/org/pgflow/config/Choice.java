package org.pgflow.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An option of a config with a fixed set of values, implemented by the option enums ({@link Algorithm},
 * {@link Evaluation}, {@link Objective}, {@link Critic}, {@link TabularUpdate}, {@link EngineKind}): each constant
 * knows its config spelling, which is what the config is read with, what messages list and what the resolved
 * config and {@code run.json} record.
 */
public interface Choice {
    /** @return the enum constant's name (implemented by {@link Enum#name()}) */
    String name();

    /** @return the config spelling: the name in lower case with {@code _} written {@code -} ({@code least-squares}) */
    default String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param type the option enum
     * @param <E>  its type
     * @return the spellings of its constants, in declaration order
     */
    static <E extends Enum<E> & Choice> List<String> keys(Class<E> type) {
        List<String> out = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            out.add(e.key());
        }
        return out;
    }

    /**
     * @param type the option enum
     * @param text a spelling
     * @param <E>  its type
     * @return the constant spelled {@code text}
     * @throws IllegalArgumentException for any other text
     */
    static <E extends Enum<E> & Choice> E of(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.key().equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + " has no value '" + text + "' (one of " + keys(type)
                + ")");
    }

    /**
     * Reads an option ({@link ConfigTree#getChoice}: the message lists the spellings, the resolved config records the
     * spelling).
     *
     * @param t    the tree
     * @param path dotted key
     * @param def  the value when absent, or null when the key is required
     * @param type the option enum
     * @param <E>  its type
     * @return the value
     */
    static <E extends Enum<E> & Choice> E read(ConfigTree t, String path, E def, Class<E> type) {
        return of(type, t.getChoice(path, def == null ? null : def.key(), keys(type)));
    }
}
