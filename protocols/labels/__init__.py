"""Label building, pure: GS1 check digits, SSCCs, element strings and a small ZPL emitter with templates."""
from .check_digits import gs1_check_digit, is_valid_gs1_number, with_check_digit
from .element_strings import Element, code128_data, datamatrix_data, hri
from .errors import LabelError
from .layout import LabelSize, PrinterResolution
from .sscc import SsccSeries, build_sscc
from .templates import (Address, CartonContent, ItemLabel, LocationLabel, LogisticLabel, item_label,
                        location_label, logistic_label)
from .zpl import ZplLabel, escape_field_data

__all__ = ["Address", "CartonContent", "Element", "ItemLabel", "LabelError", "LabelSize", "LocationLabel",
           "LogisticLabel", "PrinterResolution", "SsccSeries", "ZplLabel", "build_sscc", "code128_data",
           "datamatrix_data", "escape_field_data", "gs1_check_digit", "hri", "item_label",
           "is_valid_gs1_number", "location_label", "logistic_label", "with_check_digit"]
