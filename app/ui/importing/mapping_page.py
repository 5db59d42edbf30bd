"""The first page of the import dialog: the file, the sheet, the header row, the preview with a field above each
column, the diagnostics options and the mode; built onto the dialog, whose slots it connects."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QRadioButton, QSizePolicy,
    QSpinBox, QTableView, QVBoxLayout, QWidget,
)

from app.services.importing.spreadsheet_import import DIAGNOSTICS, KIND_TITLES
from app.ui.importing.mapping_bar import ColumnTargetBar
from app.ui.importing.models import ImportPreviewModel
from app.ui.importing.options import DiagnosticsImportOptions
from app.ui.importing.result_page import OUTCOME_STYLES, WARNING_STYLE, message_label

MAX_HEADER_ROW = 10_000
# What the mapping page says above the preview, by kind.
KIND_HINTS = {
    "diagnostics": "Строка — педагог (ФИО или СНИЛС; педагог уже должен быть в реестре), столбец — компетенция. "
                   "Балл ниже 60 % максимума — дефицит. ",
    "programmes": "Строка — программа. Если зачётные единицы не указаны, они рассчитываются по часам. ",
}


def build_mapping_page(dialog: QDialog) -> QWidget:
    """The mapping page's widgets, set as the ImportDialog's attributes (``dialog.sheet_combo`` …); the page."""
    page = QWidget(dialog)
    what = KIND_TITLES[dialog.kind]
    title = QLabel(f"Импорт {what} из таблицы", page)
    title.setObjectName("dialogTitle")

    dialog.file_label = QLabel(page)
    dialog.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    dialog.file_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    dialog.other_file_button = QPushButton("Другой файл…", page)
    dialog.other_file_button.clicked.connect(dialog._choose_other_file)
    file_row = QHBoxLayout()
    file_caption = QLabel("Файл:", page)
    file_row.addWidget(file_caption)
    file_row.addWidget(dialog.file_label, 1)
    file_row.addWidget(dialog.other_file_button)

    dialog.sheet_combo = QComboBox(page)
    dialog.sheet_combo.setMinimumWidth(180)
    dialog.sheet_combo.currentIndexChanged.connect(dialog._on_sheet_changed)
    sheet_caption = QLabel("&Лист:", page)
    sheet_caption.setBuddy(dialog.sheet_combo)
    dialog.header_spin = QSpinBox(page)
    dialog.header_spin.setRange(1, MAX_HEADER_ROW)
    # Typing «12» re-reads the file once, on Enter or leaving the field, not for «1» first.
    dialog.header_spin.setKeyboardTracking(False)
    dialog.header_spin.setToolTip("Номер строки листа, в которой записаны названия столбцов")
    dialog.header_spin.valueChanged.connect(dialog._on_header_row_changed)
    header_caption = QLabel("&Строка заголовка:", page)
    header_caption.setToolTip(dialog.header_spin.toolTip())
    header_caption.setBuddy(dialog.header_spin)
    dialog.rows_label = QLabel(page)
    dialog.rows_label.setObjectName("hintLabel")
    dialog.rows_label.setWordWrap(True)
    sheet_row = QHBoxLayout()
    sheet_row.addWidget(sheet_caption)
    sheet_row.addWidget(dialog.sheet_combo)
    sheet_row.addSpacing(18)
    sheet_row.addWidget(header_caption)
    sheet_row.addWidget(dialog.header_spin)
    sheet_row.addSpacing(18)
    sheet_row.addWidget(dialog.rows_label, 1)

    dialog.error_label = message_label(page)
    dialog.error_label.setObjectName("messageLabel")
    dialog.problems_label = message_label(page)
    dialog.problems_label.setObjectName("messageLabel")
    dialog.warnings_label = message_label(page)
    dialog.warnings_label.setStyleSheet(WARNING_STYLE)
    dialog.notice_label = message_label(page)
    dialog.notice_label.setStyleSheet(OUTCOME_STYLES["nothing"].replace("font-weight: bold;", ""))

    hint = QLabel(KIND_HINTS.get(dialog.kind, "") + "Над каждым столбцом выберите поле, в которое его "
                  "импортировать. Серые столбцы не импортируются.", page)
    hint.setObjectName("hintLabel")
    hint.setWordWrap(True)
    dialog.options: DiagnosticsImportOptions | None = None
    if dialog.kind == DIAGNOSTICS:
        dialog.options = DiagnosticsImportOptions(dialog._known_instruments(), page)
        dialog.options.changed.connect(dialog._on_options_changed)

    dialog.preview_model = ImportPreviewModel(dialog)
    dialog.preview_view = QTableView(page)
    dialog.preview_view.setModel(dialog.preview_model)
    dialog.preview_view.setAlternatingRowColors(True)
    dialog.preview_view.setWordWrap(False)
    dialog.preview_view.setTextElideMode(Qt.TextElideMode.ElideRight)
    dialog.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    dialog.preview_view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    dialog.preview_view.verticalHeader().setDefaultSectionSize(26)
    dialog.preview_view.horizontalHeader().setHighlightSections(False)
    dialog.preview_view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    dialog.preview_view.setAccessibleName("Первые строки таблицы")
    dialog.mapping_bar = ColumnTargetBar(dialog.preview_view, page)
    dialog.mapping_bar.target_chosen.connect(dialog.set_column_target)
    table_box = QVBoxLayout()
    table_box.setSpacing(0)
    table_box.addWidget(dialog.mapping_bar)
    table_box.addWidget(dialog.preview_view, 1)

    dialog.keep_valid_radio = QRadioButton("Импортировать правильные строки", page)
    dialog.keep_valid_radio.setToolTip("Строки с ошибками пропускаются и перечисляются в отчёте")
    dialog.all_or_nothing_radio = QRadioButton("Всё или ничего", page)
    dialog.all_or_nothing_radio.setToolTip("Если хотя бы одна строка с ошибкой, в базу не записывается ничего")
    dialog.keep_valid_radio.setChecked(True)
    dialog.mode_group = QButtonGroup(page)
    dialog.mode_group.addButton(dialog.keep_valid_radio)
    dialog.mode_group.addButton(dialog.all_or_nothing_radio)
    dialog.mode_hint = QLabel(page)
    dialog.mode_hint.setObjectName("hintLabel")
    dialog.mode_hint.setWordWrap(True)
    dialog.keep_valid_radio.toggled.connect(dialog._show_mode_hint)
    dialog._show_mode_hint()
    mode_row = QHBoxLayout()
    mode_row.addWidget(QLabel("Режим:", page))
    mode_row.addWidget(dialog.keep_valid_radio)
    mode_row.addWidget(dialog.all_or_nothing_radio)
    mode_row.addSpacing(12)
    mode_row.addWidget(dialog.mode_hint, 1)

    dialog.cancel_button = QPushButton("Отмена", page)
    dialog.cancel_button.clicked.connect(dialog.reject)
    dialog.import_button = QPushButton("Импортировать", page)
    dialog.import_button.setDefault(True)
    dialog.import_button.clicked.connect(dialog.start_import)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(dialog.cancel_button)
    buttons.addWidget(dialog.import_button)

    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    layout.addWidget(title)
    layout.addLayout(file_row)
    layout.addLayout(sheet_row)
    if dialog.options is not None:
        layout.addWidget(dialog.options)
    layout.addWidget(dialog.error_label)
    layout.addWidget(dialog.warnings_label)
    layout.addWidget(dialog.problems_label)
    layout.addWidget(dialog.notice_label)
    layout.addWidget(hint)
    layout.addLayout(table_box, 1)
    layout.addLayout(mode_row)
    layout.addLayout(buttons)
    return page
