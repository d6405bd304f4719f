"""Tables as a reader takes them in (releasebot.tables)."""

from releasebot.tables import read_tables


def test_a_row_gets_its_pair_last_when_the_header_names_their_columns_apart():
    text = "| service | env | version |\n|---|---|---|\n| payments | staging | 3.3.1 |"
    assert read_tables(text).split("\n") == ["| service | env | version |", "| staging | payments | 3.3.1 |"]


def test_a_table_whose_pair_ends_its_rows_is_left_alone():
    text = "| env | component | version |\n|---|---|---|\n| prod | im | 24.500.0 |"
    assert read_tables(text) == text


def test_a_cell_after_a_pair_standing_side_by_side_goes_first_where_the_guards_see_it():
    text = "| component | version | env |\n|---|---|---|\n| im | 24.500.0 | prod |\n| im | 24.600.0-rc.1 | STAGE |"
    assert read_tables(text).split("\n") == ["| component | version | env |", "| prod | im | 24.500.0 |",
                                             "| STAGE | im | 24.600.0-rc.1 |"]


def test_a_bb_code_table_of_fields_becomes_field_lines_and_the_text_after_it_stays_apart():
    text = "\n | Module | sale\n\n | Version | 25.1.0\n\nrolled out tonight"
    assert read_tables(text) == "\nModule: sale\nVersion: 25.1.0\n\nrolled out tonight"


def test_text_without_a_table_is_unchanged():
    assert read_tables("deployed im 24.500.0 | all good") == "deployed im 24.500.0 | all good"
