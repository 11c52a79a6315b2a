-- The catalog as data.json (docs/PRODUCT.md, "The catalog as data.json"): each dataset's
-- object from the portal's data.json, as imported, so that what the columns do not keep
-- (spatial, temporal, theme, issued, the distributions' own fields) is published unchanged.
-- Null for rows imported before this column, and for rows not made by an import.
ALTER TABLE datasets ADD COLUMN source TEXT;
