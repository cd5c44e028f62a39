package dev.medic.catalog;

import dev.medic.ExitCodes;
import dev.medic.MedicException;

/** A catalog that cannot be used; the message names the file and the property. */
public final class CatalogException extends MedicException {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(ExitCodes.BAD_INPUT, message);
    }

    public static CatalogException at(String file, String property, String problem) {
        return new CatalogException(file + ": " + (property.isEmpty() ? "" : property + ": ") + problem);
    }
}
