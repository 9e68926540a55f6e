from import_export.admin import ImportExportModelAdmin


class RosterImportMixin(ImportExportModelAdmin):
    """Placeholder until the roster import lands."""
