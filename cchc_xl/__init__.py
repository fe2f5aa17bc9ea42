"""cchc_xl: the CCHC statistical appendix as data, Excel templates that check themselves,
and the consolidation of commune workbooks into a district sheet."""
__version__ = "0.1.0"
