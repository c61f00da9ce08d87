"""Every located problem message in English and Simplified Chinese: one catalogue per language.

An :class:`~optimizer.issues.Issue` built by the reader or by :mod:`optimizer.validation` carries a
message ``code`` and its ``params``; :data:`EN` and :data:`ZH` map each code to a :meth:`str.format`
template. The English text of an issue is rendered from :data:`EN` when the issue is built (so
``issue.message`` and ``str(issue)`` read as they always have), and ``issue.text("zh")`` renders the
same code from :data:`ZH`.

A parameter is either a plain value, inserted as :meth:`str.format` inserts it (so a template may say
``{rows:,}``), or a *term* that renders itself in the language asked for:

* :class:`Msg`, a nested phrase of the catalogue (a subject such as ``grade "No2"``, a range such as
  ``between -90 and 90``);
* :class:`Localized`, a pair of texts taken from the Excel schema (sheet names, column headers, enum
  labels), so the Chinese wording matches what the planner sees in a Chinese workbook;
* :class:`FieldName` and :class:`Amount`, a model field's name and a value with that field's unit;
* :class:`Of`, a subject in the possessive (English leaves it as is; Chinese adds 的).

Conventions of the Chinese templates: quoted ids have a space on each side where they meet Chinese
text; a range phrase follows 应 directly, and a symbolic one (``>= 0``) starts with a space so that it
reads ``应 >= 0``.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

from optimizer.schema import (
    FRACTION_UNIT,
    PARAMETER_ROWS,
    SHEETS,
    UNIT_ZH,
    ColumnSpec,
    SheetSpec,
    format_number,
    header,
)

#: Languages a message can be rendered in.
LANGUAGES = ("en", "zh")

Params = tuple[tuple[str, object], ...]


# --- the catalogues --------------------------------------------------------------------------------

EN: dict[str, str] = {
    # how the CLI and the GUI tag a warning
    "issue.warning_tag": "warning: ",
    # -- subjects: what an issue is about ------------------------------------------------------------
    "subject.grade": 'grade "{id}"',
    "subject.collection_point": 'collection point "{id}"',
    "subject.supply": 'grade "{grade}" at collection point "{cp}"',
    "subject.dismantling": 'dismantling site "{id}"',
    "subject.sorting": 'sorting center "{id}"',
    "subject.site": 'site "{id}"',
    "subject.capacity_module": 'capacity module "{module}" of {site}',
    "subject.yield": '"{input}" -> "{output}" at {site}',
    "subject.smelter": 'smelter "{id}"',
    "subject.vehicle_type": 'vehicle type "{id}"',
    "subject.distance": 'distance "{a}" -> "{b}"',
    "subject.parameters": "the parameters",
    "subject.period": "period {id}",
    "period.sequence": "{subject} starts in {year}; expected {expected}, the year after the period before it "
    "ends (periods follow each other without gaps or overlaps)",
    "subject.growth": 'growth row "{id}"',
    "growth.no_periods": "{subject} is not used: the Growth sheet scales the supply of the years on the "
    "Periods sheet, and the network has none; add a Periods sheet or delete the row",
    "growth.unknown_year": "{subject} names the year {year}, which starts no period on the Periods sheet; "
    "expected the first year of a period ({years})",
    "growth.unknown_grade": '{subject} names the grade "{grade}", which is not on the Grades sheet; expected '
    "a grade id or a blank cell (every grade)",
    "growth.unknown_province": '{subject} names the province "{province}", where no collection point is; '
    "expected a province of the CollectionPoints sheet ({provinces}) or a blank cell (every province)",
    "growth.repeated": "{subject} is listed {count} times; expected one line per year, grade and province",
    # -- nouns ----------------------------------------------------------------------------------------
    "noun.grade": "grade",
    "noun.collection_point": "collection point",
    "noun.site": "site",
    "noun.dismantling": "dismantling site",
    "noun.sorting": "sorting center",
    "noun.smelter": "smelter",
    "noun.vehicle_type": "vehicle type",
    "noun.capacity_module_of": "capacity module of {site}",
    # -- what a value should be ---------------------------------------------------------------------
    "range.between": "between {low} and {high}",
    "range.both": "{low_op} {low} and {high_op} {high}",
    "range.low": "{op} {low}",
    "range.high": "{op} {high}",
    "expect.number": "a number",
    "expect.whole": "a whole number {range}",
    "expect.after_opening": "later than the opening hour {hour}",
    "expect.straight_line": "at least the straight-line distance {km:.0f} km",
    "note.circuity": "roads are never shorter than the straight line",
    "note.check_distance": "check the distance and the coordinates",
    "note.magnitude": "larger numbers are beyond what the solvers compute with; check the value and its unit",
    "note.typical": "outside what a real network has; check the value and its unit",
    "note.coordinates": "check the coordinates: a missing minus sign, or latitude and longitude swapped",
    "note.far_haul": "farther than any truck haul of a real network; check the coordinates",
    # -- validation: one value ----------------------------------------------------------------------
    "value": "{field} of {subject} is {value}; expected {expected}",
    "value.note": "{field} of {subject} is {value}; expected {expected} ({note})",
    # -- validation: the network as a whole ---------------------------------------------------------
    "network.no_grades": "the network has no grades; expected at least one",
    "network.no_collection_points": "the network has no collection points; expected at least one",
    "network.no_smelters": "the network has no smelters; expected at least one",
    "id.missing": "a {noun} has no id; expected a unique id",
    "id.repeated": '{noun} id "{id}" is used {count} times; expected each {noun} to have its own id',
    "id.clash": 'id "{id}" of {subject} is also the id of a {first}; expected every collection point, site '
    "and smelter to have its own id (distances and routes refer to them by id)",
    "not_site.collection_point": "is a collection point, not a dismantling site or sorting center",
    "not_site.smelter": "is a smelter, not a dismantling site or sorting center",
    "not_site.unknown": "is not the id of any dismantling site or sorting center",
    "assigned.not_site": 'assigned site "{site_id}" of {subject} {why}',
    "assigned.closed": "{subject} is assigned to {site}, which is closed; expected an open site",
    "supply.unknown_grade": 'collection point "{cp}" supplies grade "{grade}", which is not in the list of '
    "grades; expected the id of a grade",
    "supply.repeated": "supply of {subject} is listed {count} times; the quantities are added (expected one "
    "line per grade)",
    "supply.none": 'collection point "{cp}" has no supply of any grade; expected some scrap to collect',
    "site.no_modules": "{site} is {status} but has no capacity modules; expected at least one (capacity "
    "and fixed cost)",
    "site.no_yields": "{site} accepts no grades (it has no yields); expected at least one yield line, "
    "otherwise it can take no scrap",
    "yield.unknown_grade": '{field} "{grade}" of the yield {subject} is not in the list of grades; expected '
    "the id of a grade",
    "yield.repeated": "the yield {subject} is listed {count} times; the fractions are added (expected one "
    "line per input and output grade)",
    "yield.above_one": 'yields of grade "{grade}" at {site} add up to {total}; expected at most 1 (one tonne '
    "in cannot give more than one tonne out)",
    "yield.creates_copper": 'yields of grade "{grade}" at {site} turn one tonne holding {held} t of copper '
    "into grades holding {made} t of copper; expected at most {held} t (a site cannot create copper: check "
    '"{grade}" -> "{output}" at {fraction} and the copper contents of these grades)',
    "text.too_long": "{field} of {subject} is {length:,} characters long; expected at most {limit:,} "
    "characters (the most an Excel cell holds)",
    "far.collection_point": '{subject} is {km:,.0f} km from the nearest site or smelter ("{nearest}"); '
    "expected within {limit:,.0f} km ({note})",
    "far.node": '{subject} is {km:,.0f} km from the nearest other collection point, site or smelter '
    '("{nearest}"); expected within {limit:,.0f} km ({note})',
    "smelter.no_grades": "{subject} accepts no grades; expected at least one accepted grade, otherwise it "
    "buys nothing",
    "smelter.unknown_grade": '{subject} accepts grade "{grade}", which is not in the list of grades; '
    "expected the id of a grade",
    "smelter.min_content": "minimum copper content of {subject} is {minimum} but the richest grade it "
    "accepts has {richest}; expected at most {richest}, otherwise it can take nothing",
    "smelter.fixed_no_price": "{subject} has a fixed price basis but no copper price; expected a copper "
    "price in CNY/t Cu, or price basis linked (the network copper price minus its discount)",
    "smelter.linked_price_ignored": "{subject} has a linked price basis, so its copper price {price} is not "
    "used (it pays the network copper price minus its discount); expected a blank copper price, or price "
    "basis fixed",
    "vehicle.depot": 'depot "{depot}" of {subject} {why}; expected trucks to be kept at a dismantling site '
    "or sorting center",
    "distance.unknown_node": '{field} "{node}" of the {subject} is not the id of any collection point, site '
    "or smelter; expected a node id",
    "distance.same_node": "the {subject} starts and ends at the same node; expected two different nodes",
    "distance.repeated": "the {subject} is listed {count} times; the last one is used (expected one line "
    "per pair of nodes)",
    "reach.none": "no copper can reach any smelter: none of the {total} t/yr supplied is of a grade that a "
    "smelter accepts or that an open site turns into one; expected at least one supplied grade accepted "
    "by a smelter",
    "reach.supplied": 'grade "{grade}" ({tonnes} t/yr supplied) is accepted by no smelter and no open site '
    "turns it into a grade a smelter accepts; that copper can never be delivered",
    "reach.produced": 'grade "{grade}" is produced by sites but accepted by no smelter and no open site '
    "turns it into a grade a smelter accepts; that copper can never be delivered",
    # -- a cell that does not fit its column ---------------------------------------------------------
    "type.str": "text",
    "type.float": "a number",
    "type.int": "a whole number",
    "type.bool": "yes or no",
    "type.enum": "one of {values}",
    "type.id_list": "ids separated by commas",
    "type.from_to": "{type} from {low} to {high}",
    "type.at_least": "{type} >= {low}",
    "type.above_to": "{type} > {low} and <= {high}",
    "type.above": "{type} > {low}",
    "type.at_most": "{type} <= {high}",
    "column.expected": "{label} ({what})",
    "column.expected_unit": "{label} in {unit} ({what})",
    "cell.blank": "{column} is blank; expected {expected}",
    "cell.date": "{value} is a date or time; expected {expected}",
    "cell.excel_error": "the cell shows the Excel error {error}; expected {expected}",
    "cell.yes_no": "{value} is a yes/no value; expected {expected}",
    "cell.yes_no_not_number": "{value} is a yes/no value, not a number; expected {expected}",
    "cell.not_finite": "{value} is not a finite number; expected {expected}",
    "cell.percentage": "{value} is a percentage; expected {expected}",
    "cell.not_number": "{value} is not a number; expected {expected}",
    "cell.not_whole": "{value} is not a whole number; expected {expected}",
    "cell.not_yes_no": "{value} is not yes or no; expected {expected}",
    "cell.not_allowed": "{value} is not an allowed value; expected {expected}",
    "cell.not_id_list": "{value} is not a list of ids; expected {expected}",
    "cell.unreadable": "{value} is saved as {stored} that cannot be read (retype the cell); "
    "expected {expected}",
    "cell.shared_text_missing": "the cell refers to {stored}, which the file does not have (it is damaged; "
    "retype the cell); expected {expected}",
    "stored.number": "a number",
    "stored.yes_no": "a yes/no value",
    "stored.date": "a date",
    "stored.date_number": "a number in date format (beyond any date)",
    "stored.other": "a cell of type {kind}",
    "stored.shared_text": "text no. {index} of the workbook's shared-text table of {count} entries",
    "cell.formula_unevaluated": "a formula never evaluated; open the file in Excel, let it calculate and "
    "save it, or type the value; expected {expected}",
    "cell.formula_unsaved": "a formula with no saved value; open the file in Excel, let it calculate and "
    "save it, or type the value; expected {expected}",
    # -- sheets and headers ---------------------------------------------------------------------------
    "sheet.near_miss": 'sheet "{title}" is not a CopperLoop sheet and was ignored; did you mean "{name_en}" '
    '("{name_zh}")?',
    "sheet.second": 'sheet "{title}" is a second {sheet} sheet and was ignored; only "{first}" is read',
    "sheet.none": "no CopperLoop sheets found; a network workbook has the sheets {names} and more (start "
    "from the template: copperloop template)",
    "sheet.missing": 'the workbook has no "{name_en}" sheet ("{name_zh}" in Chinese); it is required',
    "sheet.unreadable": 'sheet "{title}" could not be read: {error}',
    "sheet.too_many_rows": 'sheet "{title}" has {rows:,} rows; CopperLoop reads at most {limit:,} rows per '
    "sheet",
    "sheet.more_rows": 'sheet "{title}" has more than {limit:,} rows; rows after {limit:,} were not read',
    "sheet.rest_unreadable": 'sheet "{title}" could not be read after row {row} ({error}); the rows after '
    "it were not loaded",
    "sheet.merged": "cells {range} are merged, so only {first} holds a value and the other cells read as "
    "blank; unmerge them and fill in every row",
    "sheet.merged_more": 'sheet "{title}" has {count} more merged ranges in its data rows; unmerge them too',
    "sheet.hidden_row": 'sheet "{title}" has a hidden row with data (row {rows}); it was read like every '
    "other row: delete it if it should not count",
    "sheet.hidden_rows": 'sheet "{title}" has {count} hidden rows with data (rows {rows}); they were read '
    "like every other row: delete them if they should not count",
    "sheet.no_header": 'sheet "{title}" has no header row; expected the headers {expected} in row 1',
    "column.unknown": "unknown column {value} is ignored; the {sheet} columns are {expected}",
    "column.twice": "column {value} appears twice; only column {first} is read",
    "column.missing": 'required column "{header_en}" ("{header_zh}") is missing from sheet "{title}"; '
    "none of its rows were read",
    "parent.unknown": '{what} "{parent}" is not on sheet {sheet}; this row was not loaded',
    # -- the Parameters sheet -------------------------------------------------------------------------
    "parameters.no_sheet": "the workbook has no Parameters sheet; default parameters are used",
    "parameters.too_many_rows": 'sheet "{title}" has {rows:,} rows; CopperLoop reads at most {limit:,}',
    "parameters.no_value_column": 'sheet "{title}" has no "Value" ("数值") column',
    "parameters.missing": 'parameter "{name}" is not on sheet "{title}"; the default {default} is used',
    "parameters.no_limit": "(no limit)",
    "parameters.nameless": "the value {value} has no parameter name in column {column} and is ignored",
    "parameters.unknown": "unknown parameter {value} is ignored; the parameters are {names}",
    "parameters.again": "parameter {value} is given again; row {row} is used",
    "parameters.formula": "{name} is a formula with no saved value; type the value or save the file in "
    "Excel; expected {expected}",
    # -- the file as a whole --------------------------------------------------------------------------
    "file.problem": "{file}: {problem}",
    "file.defect": "{file}: {problem}; this is a CopperLoop defect, please report it with the file",
    "file.formulas": "its formulas could not be inspected: {error}",
    "file.not_found": "file not found",
    "file.folder": "is a folder, not an Excel workbook",
    "file.encrypted": "the workbook is password-protected (encrypted); open it in Excel, remove the password "
    "(File > Info > Protect Workbook > Encrypt with Password) and save it as .xlsx",
    "file.xls": "is an old Excel 97-2003 (.xls) file; open it in Excel and save it as an Excel Workbook "
    "(.xlsx)",
    "file.cannot_open": "could not be opened ({error})",
    "file.no_content_types": "is damaged: it has no [Content_Types].xml, the part every .xlsx workbook "
    "has; open it in Excel or LibreOffice and save it again as .xlsx",
    "file.empty": "the file is empty",
    "file.not_zip": "is not an Excel .xlsx workbook (it is not a zip archive: damaged, truncated, or another "
    "kind of file such as .csv)",
    "file.ods": "is an OpenDocument spreadsheet (.ods); save it as an Excel Workbook (.xlsx)",
    "file.zip_not_xlsx": "is a zip archive but not an Excel .xlsx workbook (it has no xl/workbook.xml)",
    "file.zip_bomb": "unpacks to {unpacked_mb:,.0f} MB, more than the {limit_mb:,.0f} MB CopperLoop reads (a "
    "zip bomb, or far more data than a network needs)",
    "file.xml_entities_in": "the part {part} contains XML entity declarations, which CopperLoop refuses "
    "(they can be used for an 'XML bomb'); open the file in Excel and save it again as .xlsx",
    "load.xml_entities": "the workbook contains XML entity declarations, which CopperLoop refuses (they can "
    "be used for an 'XML bomb'); open it in Excel and save it again as .xlsx",
    "load.damaged": "the file is damaged or truncated ({error}); save it again from Excel or get a fresh "
    "copy",
    "load.invalid_xml": "the workbook contains invalid XML ({error}); open it in Excel and save it again as "
    ".xlsx",
    "load.not_xlsx": "not an Excel .xlsx workbook ({error})",
    "load.too_large": "the workbook is too large to read",
    "load.missing_part": "is damaged: a part it refers to is missing ({part}); open it in Excel or "
    "LibreOffice and save it again as .xlsx",
    "load.other": "could not be read as an Excel workbook ({kind}: {error})",
    # -- progress of a long job: phases and what happens in them -------------------------------------
    "phase.validating": "Checking the network",
    "phase.building": "Building the model",
    "phase.strengthening": "Strengthening the model",
    "phase.solving": "Solving",
    "phase.solving_lp_sites": "Solving (starting plan)",
    "phase.solving_first_plan": "Solving (first plan)",
    "phase.solving_least_cost_at_best": "Solving (least cost at the best utilization)",
    "phase.solving_best_utilization": "Solving (best utilization)",
    "phase.solving_least_cost": "Solving (least cost)",
    "phase.solving_point": "Solving (trade-off point {k} of {n})",
    "phase.explaining": "Explaining why it is infeasible",
    "phase.extracting": "Reading the plan",
    "phase.routing": "Routing",
    "phase.solving_round": "Solving the design (design-routing round {k} of {n})",
    # -- notes a plan carries (optimizer.design) --------------------------------------------------------
    "plan_note.k_nearest": "arcs limited to the {k} cheapest destinations per collection point and grade: "
    "the plan is optimal for that restricted network only",
    "plan_note.restricted_arcs": "solved over {kept} of the {total} allowed arcs (each yard's cheapest); "
    "the others were priced with the LP relaxation's duals, and the bound holds for every arc",
    "plan_note.no_route": "{t} t/yr of {grade} at {point} has no allowed route to a site or smelter",
    "plan_note.copper_amplifying": "some yield table makes more copper than goes in; the aggregate-capacity "
    "inequality is not used",
    "plan_note.least_cost_failed": "least-cost stage ended {outcome} ({why}); the plan shows the "
    "maximum-utilization solution without cost minimisation",
    "plan_note.least_cost": "least cost at that utilization: {cost} CNY/yr ({outcome}, gap {gap})",
    "plan.infeasible_unexplained": "infeasible: the solver found no plan that meets every requirement",
    "plan.network_errors": "the network has {count} error(s): {listed}",
    "plan.network_errors_more": "the network has {count} error(s): {listed} (and {more} more)",
    # -- which depot collects a point (optimizer.routing.assignment) ----------------------------------
    "route_note.no_supply": "{point}: no supply, nothing to collect",
    "route_note.assigned_closed": "{point}: assigned site {site} is closed; collected from the nearest depot "
    "{depot}",
    "route_note.assigned_not_site": "{point}: assigned site {site} is not a site of this network; collected "
    "from the nearest depot {depot}",
    "route_note.plan_missing_sites": "the plan opens site(s) {sites} that this network does not have",
    "route_note.not_in_plan": "{point}: not in the plan (was it added after solving?); not routed",
    "route_note.plan_buys_nothing": "{point}: the plan buys nothing here; not routed",
    "route_detail.assigned_closed": "assigned site {site} is closed",
    "route_detail.assigned_not_site": "assigned site {site} is not a site of this network",
    "route_detail.no_site_no_plan": "the network has no existing site, and no plan says which candidate "
    "sites open: solve the network and route with its plan",
    "route_detail.not_opened": "the plan sends it to {dest}, which is not an opened site of this network",
    "route_fix.plan_or_assign": "solve the network and route with its plan (--plan), or assign the point to "
    "an open site",
    # -- why a visit cannot be routed (optimizer.routing.build) ---------------------------------------
    "route_detail.no_carrier": "no carrier in VehicleTypes",
    "route_detail.carrier_hours": "no carrier can load within its opening hours {opens}-{closes} h",
    "route_detail.direct_unserved": "the plan ships {t} t/yr straight to smelter {smelter} ({km} km); "
    "smelters keep no collection trucks and {why}",
    "route_fix.add_carrier": "add a carrier to VehicleTypes (a row with its Carrier tariff per trip), or "
    "send this share through an opened site",
    "route_note.visits_capped": "{point}: {n} visits a week do not fit {days} working days; planned "
    "{planned}",
    "route_detail.window_too_short": "open {opens}-{closes}, shorter than its {minutes} min service",
    "route_fix.longer_window": "opening hours of at least {minutes} min (CollectionPoints: opens/closes), or "
    "a shorter service time",
    "route_fix.more_visits": "it needs at least {n} visits a week, or a bigger truck",
    "route_fix.bigger_truck": "it needs a bigger truck",
    "route_detail.pickup_too_big": "each visit picks up {kg} kg ({t} t/yr in {visits} visit(s) a week) but "
    "the largest truck at {depot} carries {largest} kg; {remedy}",
    "route_detail.beyond_shift": "the round trip from {depot} with service takes at least {hours} h, more "
    "than the shift of every truck that can carry its {kg} kg",
    "route_detail.window_unreachable": "no truck from {depot} can arrive within its opening hours "
    "{opens}-{closes} and be back by {back}",
    "route_fix.nearer_site": "longer opening hours, or collection from a nearer site",
    "route_plan.visits": "{a} of {b} visits a week on {n} truck-days",
    "route_plan.visits_hauls": "{a} of {b} visits a week on {n} truck-days; {hauls} full-truckload haul(s), "
    "{trips} trips/week",
    "route_detail.no_routes": "{engine} found no routes that serve every required visit with the {trucks} "
    "truck(s) available ({depot}, {day})",
    "route_detail.cancelled": "not on a route yet when routing was cancelled ({depot}, {day})",
    "route_detail.cancelled_first": "routing was cancelled before this depot and day ({depot}, {day})",
    "route_detail.no_room": "no room for it on {depot}'s {trucks} truck(s) on {day}: the day's {visits} "
    "visits ({kg} kg; one trip of every truck carries {payload} kg) need more trucks, trips or shift hours "
    "than there are",
    "route_fix.one_more_truck": "one more truck at {depot} on {day} (--size-fleet says how many the week "
    "needs), or a longer time limit",
    "route_detail.depot_no_trucks": "depot {depot} has no trucks (no vehicle type is available there)",
    "route_fix.depot_vehicle": "a vehicle type kept at {depot} (VehicleTypes: Depots), or a carrier (its "
    "tariff per trip)",
    # -- why the requirements cannot all hold (optimizer.design.infeasibility) -------------------------
    "infeasible.target": "the {wanted} utilization target cannot be met: the best reachable is {best} "
    "({short} short)",
    "infeasible.context_target": "the {wanted} target",
    "infeasible.context_any": "what any plan must spend, even without a target",
    "infeasible.sites_binding": "the limit of {limit} new sites is binding: the best reachable plan ({best}) "
    "opens all {all}",
    "infeasible.budget_binding": "the annual budget of {budget} CNY is binding: the best reachable plan "
    "({best}) spends all of it",
    "infeasible.budget_binding_needs": "the annual budget of {budget} CNY is binding: the best reachable "
    "plan ({best}) spends all of it; the {wanted} target needs at least {needed} CNY of fixed, processing "
    "and transport cost ({more} CNY more)",
    "infeasible.smelter_capacity": "smelter intake capacity is {short} short of {context} ({detail})",
    "infeasible.smelter_capacity_reach": "smelter intake capacity is {short} short of {context}; best "
    "reachable is {best} ({detail})",
    "infeasible.site_capacity": "processing capacity at sites is {short} short of {context} ({detail})",
    "infeasible.site_capacity_reach": "processing capacity at sites is {short} short of {context}; best "
    "reachable is {best} ({detail})",
    "infeasible.site_detail": "{site} needs {t} more than its largest module",
    "infeasible.budget_short": "the annual budget of {budget} CNY is {extra} CNY short of {context}",
    "infeasible.budget_short_reach": "the annual budget of {budget} CNY is {extra} CNY short of {context}; "
    "best reachable is {best}",
    "infeasible.sites_short": "the limit of {limit} new sites is {extra} site(s) short of {context}",
    "infeasible.sites_short_reach": "the limit of {limit} new sites is {extra} site(s) short of {context}; "
    "best reachable is {best}",
    "infeasible.blend_short": "the minimum copper content of {smelter} ({pct}) is {short} short of "
    "{context}",
    "infeasible.blend_short_reach": "the minimum copper content of {smelter} ({pct}) is {short} short of "
    "{context}; best reachable is {best}",
    "infeasible.unreachable": "even with unlimited capacity and budget {left} ({pct} of all copper supplied) "
    "cannot reach a smelter: it has no allowed route within the haul limits and grade acceptances, or is "
    "lost as residue in processing",
    "phase.routing_round": "Routing (design-routing round {k} of {n})",
    "phase.sweeping": "Running scenarios",
    "phase.open": "Opening",
    "phase.export": "Exporting",
    "phase.done": "Done",
    "progress.building": "building the model",
    "progress.built": "model built: {arcs:,} arcs, {binaries:,} yes/no decisions, "
    "{constraints:,} constraints in {seconds:.1f} s",
    "progress.separating": "adding the linking rows the LP relaxation needs",
    "progress.linking_added": "{rows:,} linking rows added in {rounds} LP rounds",
    "progress.linking_added_partial": "{rows:,} linking rows added in {rounds} LP rounds (stopped before all "
    "were found)",
    "progress.start_plan": "starting plan from the LP relaxation's sites: {objective:,.0f}",
    "progress.first_plan": "first plan ({sites} sites, rounded from the LP and improved site by site): "
    "{objective:,.0f}",
    "progress.restricted": "starting plan: the model on the {kept} of {total} candidate sites the LP "
    "relaxation opens",
    "progress.lagrangian_started": "facility location: a Lagrangian bound (supply rows relaxed)",
    "progress.lagrangian_fixed": "Lagrangian bound {bound:,.0f} against a plan of {target:,.0f}: {closed} of "
    "{total} sites cannot be in a better plan and are closed",
    "progress.extracting": "reading the plan",
    "progress.explaining": "the requirements cannot all hold; finding out why",
    "progress.solver_started": "{solver} started",
    "progress.sweep": "{done} of {total} scenarios done ({failed} failed), about {eta} left",
    "progress.solver_ended": "{solver}: {outcome}",
    "outcome.optimal": "optimal",
    "outcome.feasible": "stopped with a plan",
    "outcome.no_solution": "stopped without a plan",
    "outcome.infeasible": "infeasible",
    "outcome.unbounded": "unbounded",
    "outcome.cancelled": "cancelled",
    "outcome.error": "failed",
    # -- a plan's status in words ----------------------------------------------------------------------
    "status.optimal": "optimal",
    "status.optimal_gap": "optimal within a gap of {gap}",
    "status.cancelled_empty": "cancelled before a solution was found",
    "status.cancelled": "cancelled; the plan is the best solution found so far (not proven optimal)",
    "status.time_limit": "stopped at the time limit ({limit} s) with a gap of {gap}; the plan is feasible "
    "but not proven optimal",
    "status.time_limit_no_gap": "stopped at the time limit ({limit} s); the plan is feasible but not proven "
    "optimal",
    "status.time_limit_no_solution": "no feasible plan was found within the time limit ({limit} s); allow "
    "more time",
    "status.infeasible": "the requirements cannot all hold",
    "status.error": "the solver failed",
    "status.sweep": "{solved} of {n} trade-off points solved, utilization {low} to {high}",
    "status.error_because": "the solver failed: {why}",
    "status.error_log": "the solver failed: {why} (last log lines: {log})",
    "plan.infeasible": "infeasible: {reasons}",
    "plan.cost_needs_target": "the cost objective needs a utilization target (give --target, or set the "
    "target utilization in the network's parameters)",
    "multiyear.cannot_run_yet": "{site} must run {module} in {year} but cannot yet (earliest year, lead "
    "time or build time)",
    "multiyear.model_error": "the multi-year model cannot be built: {why}",
    "multiyear.cost_needs_target": "the cost objective needs a utilization target: set one per period on "
    "the Periods sheet or in the Parameters",
    # -- the multi-year investment plan (optimizer/design/multiyear_solve.py) -------------------------
    "multiyear.invalid": "the network has errors: {errors}",
    "multiyear.no_periods": "the network has no Periods rows: it plans one year",
    "multiyear.building": "building the {periods}-period model",
    "multiyear.cancelled_building": "cancelled while building the model",
    "multiyear.year_by_year": "planning {year} on its own ({k} of {n}) for a bound and a first schedule",
    "multiyear.year_tightening": "planning {year} again with {seconds} s: it leaves the most of the gap",
    "multiyear.year_by_year_gap": "years planned one at a time: a complete plan within a proven {gap}",
    "multiyear.note_borrowed_bounds": "{count} period(s) ended without a bound of their own and took the "
    "bound of a period that dominates them (at least their supply at the same prices) plus the most "
    "their modules' fixed costs differ",
    "multiyear.note_tightened": "{count} period(s) planned again with more time to close the gap",
    "multiyear.note_years": "each year's last solve (wall seconds, its own proven gap; - none): {years}",
    "multiyear.bounded": "within a proven gap of {gap} of the best plan: the years planned one at a time "
    "bound the NPV; the {variables:,}-variable multi-year MILP was not run",
    "multiyear.year_short": "{year}: {reason}",
    "multiyear.target_short": "{year}: the {target} target is {short} t Cu short; best reachable {best}",
    "multiyear.schedule_infeasible": "every year could meet its requirements on its own, but the capital "
    "budgets, earliest years, lead times or build times leave no schedule that meets them all: raise a "
    "budget or allow an earlier build",
    "multiyear.nothing_to_build": "nothing to build: no new module pays for itself over {first}-{last}",
    "multiyear.note_year_by_year": "planned year by year first ({seconds} s, {resolved} period(s) solved "
    "again with the schedule's sites fixed); NPV bound {bound} CNY",
    "multiyear.bounded_after_failure": "within a proven gap of {gap} of the best plan: the years planned "
    "one at a time bound the NPV; the {variables:,}-variable multi-year MILP started from that plan failed "
    "in the solver, so the plan is the year-by-year one",
    "routing.start": "routing {n} depot-days with {engine}",
    "routing.depot_day": "{depot}, {day}",
    "routing.so_far": "{what}: {cny:,.0f} CNY so far",
    "routing.trying": "trying {point} on {day} from {depot}",
    "weekday.0": "Mon",
    "weekday.1": "Tue",
    "weekday.2": "Wed",
    "weekday.3": "Thu",
    "weekday.4": "Fri",
    "weekday.5": "Sat",
    "weekday.6": "Sun",
    # -- the command line ------------------------------------------------------------------------------
    "cli.output_is_folder": '"{path}" is a folder; give a file name',
    "cli.output_folder_missing": '"{path}": the folder "{folder}" does not exist (CopperLoop does not create '
    "folders: create it first, or choose another place)",
    "cli.output_parent_not_folder": '"{path}": "{folder}" is a file, not a folder',
    "cli.output_folder_read_only": '"{path}": the folder "{folder}" cannot be written to (permission denied)',
    "cli.stopping": "stopping as soon as the solver can (like Cancel in the app); press Ctrl+C again to quit "
    "at once",
    "cli.quit": "interrupted: quitting at once, without a plan",
    "cli.no_display": "there is no display to open the app on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
    "Run it on a desktop, or render a view to a picture without a display: {command}",
    "cli.plan_other_network": 'the plan "{plan_file}" was made for network "{plan_network}", and this '
    'workbook is "{network}": solve this workbook ({command}) and pass that plan',
    "cli.plan_unknown_ids": 'the plan "{plan_file}" uses sites or collection points this workbook does not '
    "have ({ids}): it was made for another version of the network; solve this workbook again",
    "cli.pareto_not_plan": '"{path}" is a trade-off sweep ({sweep}), not a plan: --plan needs one plan, '
    "written by {command}",
    "cli.not_a_plan": '"{path}" is not a plan written by {command} ({reason})',
    # -- why a plan collects nothing (optimizer.design.degenerate) -----------------------------------------
    "plan.nothing_to_decide": "nothing to decide: {why}; the plan collects nothing ({status})",
    "plan.nothing_collected": "nothing can be collected: {why}",
    "plan.no_collection_point": "the network has no collection point",
    "plan.no_supply": "every collection point's supply is 0 t/yr: there is no scrap to collect",
    "plan.no_destination": "the network has no open or candidate site and no smelter to deliver to",
    "plan.out_of_reach": "no collection point can reach any site or smelter within the haul limits: the "
    "nearest pair is {point} -> {destination} at {km} km > {limit} km (the collection haul limit)",
    "plan.no_route": "no collection point's scrap has a route to a smelter that takes it: the sites and "
    "smelters within the collection haul limit do not accept its grades, or cannot pass their output on "
    "within the transfer and delivery haul limits",
    "plan.trivial": "{stopped} with only the trivial plan, which collects nothing (0% utilization): the "
    "solver found no plan that collects scrap in time. Allow more time ({time_option}) or keep fewer "
    "destinations per collection point ({k_option})",
    "plan.stopped_at_limit": "stopped at the time limit ({limit} s)",
    "plan.stopped_by_cancel": "cancelled by the user",
    # a message that is only its text: a plan file's English from before messages had codes
    "plan.text": "{text}",
    # -- what a sweep's results say (optimizer.scenarios) ----------------------------------------------
    "sweep_result.failed": "the scenario failed: {error}",
    "sweep_result.not_started": "cancelled before it started",
    "sweep_result.worker_failed": "the worker running it failed: {error}",
    "sweep_result.dask_worker_failed": "the Dask worker running it failed: {error}",
    "duration.s": "{n} s",
    "duration.min": "{n} min",
    "duration.h": "{n} h",
    "break_even.not_candidate": "{site} is not a candidate site: only a candidate has a break-even price",
    "break_even.base_failed": "the solve at the base copper price ({price} CNY/t Cu) found no plan",
    "break_even.solve_failed": "the solve at a copper price of {price} CNY/t Cu found no plan",
    "break_even.not_open": "{site} does not open at {price} CNY/t Cu",
    "break_even.still_opens": "{site} still opens at {price} CNY/t Cu",
    "two_stage.feasible_gap": "stopped with a plan within a gap of {gap}",
    # -- a sweep that cannot run: its factors and settings (optimizer.scenarios) ------------------------
    "factor.syntax": 'factor "{text}": expected {list_form} or {range_form}',
    "factor.no_ids": 'factor "{text}": expected site or smelter ids separated by commas',
    "factor.not_parameter": 'factor "{name}": "{field}" is no numeric parameter',
    "factor.unknown": 'unknown factor "{name}"; expected one of {known}',
    "factor.not_number": 'factor "{text}": "{value}" is not a number',
    "factor.not_finite": 'factor "{text}": "{value}" is not a finite number',
    "factor.range_syntax": 'factor "{text}": expected start:stop:step',
    "factor.step": 'factor "{text}": the step must be more than 0, got {step}',
    "factor.range_down": 'factor "{text}": the range must go up (start <= stop)',
    "factor.too_many": 'factor "{text}": {count:,} values; expected at most {limit:,}',
    "factor.no_grade": 'factor "{name}": the network has no grade "{grade}"',
    "factor.no_province": 'factor "{name}": no collection point is in province "{province}"',
    "factor.no_smelter": 'factor "{name}": the network has no smelter "{smelter}"',
    "factor.supply_negative": "a supply factor must be zero or more, got {factor}",
    "factor.capex_negative": "a capex factor must be zero or more, got {factor}",
    "factor.no_node": 'factor "unavailable": "{node}" is neither a site nor a smelter of the network',
    "factor.none": "no factor: write one per line, e.g. copper_price=60000:90000:10000",
    "sweep_def.repeated": "factor(s) given twice: {names}",
    "sweep_def.samples": "samples must be at least 1, got {samples}",
    "sweep_def.tornado": "the tornado step must be in [0, 100) %, got {pct}",
    "sweep_def.tolerance": "the break-even tolerance must be more than 0 CNY/t Cu, got {tolerance}",
    "sweep_def.floor": "the break-even search floor must be in (0, 1) x the copper price, got {share}",
    "sweep_def.probabilities": "scenario probabilities must be >= 0 and sum to 1",
    "sweep_def.probability_count": "{given} probabilities for {scenarios} scenarios",
    "sweep_def.too_many": "the grid has {count:,} scenarios; expected at most {limit:,}",
    "sweep_def.no_year": "single year {year}: no period of the Periods sheet holds that year",
    "sweep_def.problems": "{problems}",
    "sweep_setting.yes_no": '#stochastic is "{value}"; expected yes or no',
    "sweep_setting.unknown": 'unknown setting "{name}"; expected one of {known}',
    "sweep_setting.not_number": '{name} is "{value}"; expected a number',
}

ZH: dict[str, str] = {
    "issue.warning_tag": "警告：",
    "subject.grade": '等级 "{id}"',
    "subject.collection_point": '回收点 "{id}"',
    "subject.supply": '回收点 "{cp}" 的等级 "{grade}"',
    "subject.dismantling": '拆解厂 "{id}"',
    "subject.sorting": '分拣中心 "{id}"',
    "subject.site": '场地 "{id}"',
    "subject.capacity_module": '{site} 的产能模块 "{module}"',
    "subject.yield": '{site} 从 "{input}" 到 "{output}"',
    "subject.smelter": '冶炼厂 "{id}"',
    "subject.vehicle_type": '车型 "{id}"',
    "subject.distance": '距离 "{a}" -> "{b}"',
    "subject.parameters": "参数",
    "subject.period": "规划期 {id}",
    "period.sequence": "{subject} 从 {year} 年开始；应为 {expected} 年，即上一期结束后的下一年"
    "（各期首尾相接，不留空档也不重叠）",
    "subject.growth": '供应增长行 "{id}"',
    "growth.no_periods": "{subject} 未被使用：供应增长表用于调整规划期工作表中各年的供应，"
    "而本网络没有规划期；请添加规划期工作表或删除该行",
    "growth.unknown_year": "{subject} 的年份 {year} 不是规划期工作表中任何一期的起始年份；"
    "应为某一期的起始年份（{years}）",
    "growth.unknown_grade": '{subject} 的等级 "{grade}" 不在废铜等级工作表中；'
    "应为等级编号，或留空（所有等级）",
    "growth.unknown_province": '{subject} 的省份 "{province}" 没有任何回收点；应为回收点工作表中的省份'
    "（{provinces}），或留空（所有省份）",
    "growth.repeated": "{subject} 列出了 {count} 次；每个年份、等级和省份的组合应只有一行",
    "noun.grade": "等级",
    "noun.collection_point": "回收点",
    "noun.site": "场地",
    "noun.dismantling": "拆解厂",
    "noun.sorting": "分拣中心",
    "noun.smelter": "冶炼厂",
    "noun.vehicle_type": "车型",
    "noun.capacity_module_of": "{site} 的产能模块",
    "range.between": "在 {low} 到 {high} 之间",
    "range.both": " {low_op} {low} 且 {high_op} {high}",
    "range.low": " {op} {low}",
    "range.high": " {op} {high}",
    "expect.number": "为数字",
    "expect.whole": "为整数且{range}",
    "expect.after_opening": "晚于开门时间 {hour}",
    "expect.straight_line": "不短于直线距离 {km:.0f} 公里",
    "note.circuity": "道路不会比直线更短",
    "note.check_distance": "请检查距离和坐标",
    "note.magnitude": "更大的数超出了求解器的计算范围；请检查数值及其单位",
    "note.typical": "超出实际网络的常见范围；请检查数值及其单位",
    "note.coordinates": "请检查坐标：可能漏了负号，或纬度与经度填反了",
    "note.far_haul": "比实际网络中任何卡车运输都远；请检查坐标",
    "value": "{subject}{field}为 {value}；应{expected}",
    "value.note": "{subject}{field}为 {value}；应{expected}（{note}）",
    "network.no_grades": "网络中没有等级；至少需要一个",
    "network.no_collection_points": "网络中没有回收点；至少需要一个",
    "network.no_smelters": "网络中没有冶炼厂；至少需要一个",
    "id.missing": "有一个{noun}没有编号；每个{noun}都应有唯一编号",
    "id.repeated": '{noun}编号 "{id}" 被使用了 {count} 次；每个{noun}应有自己的编号',
    "id.clash": '{subject} 的编号 "{id}" 也是某个{first}的编号；回收点、场地和冶炼厂的编号应各不相同'
    "（距离和路线按编号引用它们）",
    "not_site.collection_point": "是回收点，不是拆解厂或分拣中心",
    "not_site.smelter": "是冶炼厂，不是拆解厂或分拣中心",
    "not_site.unknown": "不是任何拆解厂或分拣中心的编号",
    "assigned.not_site": '{subject} 的指定场地 "{site_id}" {why}',
    "assigned.closed": "{subject} 被指定到{site}，但该场地已关闭；应指定未关闭的场地",
    "supply.unknown_grade": '回收点 "{cp}" 供应的等级 "{grade}" 不在等级表中；应为已有等级的编号',
    "supply.repeated": "{subject}供应量列出了 {count} 次，数量将相加（每个等级应只有一行）",
    "supply.none": '回收点 "{cp}" 没有任何等级的供应量；应有可收集的废料',
    "site.no_modules": "{site} 的状态为“{status}”，但没有产能模块；至少需要一个（产能和固定成本）",
    "site.no_yields": "{site} 不接收任何等级（没有产出率）；至少需要一行产出率，否则它无法接收废料",
    "yield.unknown_grade": '{subject} 的产出率中，{field} "{grade}" 不在等级表中；应为已有等级的编号',
    "yield.repeated": "{subject} 的产出率列出了 {count} 次，比例将相加（每对输入和输出等级应只有一行）",
    "yield.above_one": '{site} 中等级 "{grade}" 的产出率之和为 {total}；应不超过 1'
    "（投入一吨不可能产出超过一吨）",
    "yield.creates_copper": '{site} 中等级 "{grade}" 的产出率把含铜 {held} 吨的一吨废料'
    "变成含铜 {made} 吨的产出；应不超过 {held} 吨（场地不能凭空产生铜：请检查 "
    '"{grade}" -> "{output}" 的产出率 {fraction} 及这些等级的铜含量）',
    "text.too_long": "{subject}{field}长 {length:,} 个字符；应不超过 {limit:,} 个字符（Excel 单元格的上限）",
    "far.collection_point": '{subject} 距最近的场地或冶炼厂（"{nearest}"）{km:,.0f} 公里；'
    "应在 {limit:,.0f} 公里以内（{note}）",
    "far.node": '{subject} 距最近的其他回收点、场地或冶炼厂（"{nearest}"）{km:,.0f} 公里；'
    "应在 {limit:,.0f} 公里以内（{note}）",
    "smelter.no_grades": "{subject} 不接收任何等级；至少应接收一个等级，否则它不会收购任何废料",
    "smelter.unknown_grade": '{subject} 接收的等级 "{grade}" 不在等级表中；应为已有等级的编号',
    "smelter.min_content": "{subject} 的最低铜含量为 {minimum}，但它接收的等级中铜含量最高只有 {richest}；"
    "应不超过 {richest}，否则它什么也收不到",
    "smelter.fixed_no_price": "{subject} 的价格基准为固定，但没有铜价；"
    "应填写铜价（元/吨铜），或把价格基准设为联动（网络铜价减去其折扣）",
    "smelter.linked_price_ignored": "{subject} 的价格基准为联动，因此不使用其铜价 {price}"
    "（按网络铜价减去折扣计价）；铜价应留空，或把价格基准设为固定",
    "vehicle.depot": '{subject} 的车场 "{depot}" {why}；车辆应停放在拆解厂或分拣中心',
    "distance.unknown_node": '{subject} 的{field} "{node}" 不是任何回收点、场地或冶炼厂的编号；应为节点编号',
    "distance.same_node": "{subject} 的起点和终点是同一个节点；应为两个不同的节点",
    "distance.repeated": "{subject} 列出了 {count} 次，将使用最后一行（每对节点应只有一行）",
    "reach.none": "没有铜能到达任何冶炼厂：供应的 {total} 吨/年废料中，没有任何等级被冶炼厂接收，"
    "也没有未关闭的场地能把它转化为冶炼厂接收的等级；至少应有一种供应的等级被冶炼厂接收",
    "reach.supplied": '等级 "{grade}"（供应 {tonnes} 吨/年）没有冶炼厂接收，也没有未关闭的场地能把它转化为'
    "冶炼厂接收的等级；这部分铜永远无法交付",
    "reach.produced": '等级 "{grade}" 由场地产出，但没有冶炼厂接收，也没有未关闭的场地能把它转化为'
    "冶炼厂接收的等级；这部分铜永远无法交付",
    "type.str": "文本",
    "type.float": "数字",
    "type.int": "整数",
    "type.bool": "是或否",
    "type.enum": "以下之一：{values}",
    "type.id_list": "以逗号分隔的编号",
    "type.from_to": "{low} 到 {high} 之间的{type}",
    "type.at_least": ">= {low} 的{type}",
    "type.above_to": "> {low} 且 <= {high} 的{type}",
    "type.above": "> {low} 的{type}",
    "type.at_most": "<= {high} 的{type}",
    "column.expected": "{label}（{what}）",
    "column.expected_unit": "{label}（{what}，单位：{unit}）",
    "cell.blank": "{column}为空；应为{expected}",
    "cell.date": "{value} 是日期或时间；应为{expected}",
    "cell.excel_error": "单元格显示 Excel 错误 {error}；应为{expected}",
    "cell.yes_no": "{value} 是“是/否”值；应为{expected}",
    "cell.yes_no_not_number": "{value} 是“是/否”值，不是数字；应为{expected}",
    "cell.not_finite": "{value} 不是有限的数字；应为{expected}",
    "cell.percentage": "{value} 是百分数；应为{expected}",
    "cell.not_number": "{value} 不是数字；应为{expected}",
    "cell.not_whole": "{value} 不是整数；应为{expected}",
    "cell.not_yes_no": "{value} 不是“是”或“否”；应为{expected}",
    "cell.not_allowed": "{value} 不是允许的值；应为{expected}",
    "cell.not_id_list": "{value} 不是编号列表；应为{expected}",
    "cell.unreadable": "{value} 以{stored}保存，但无法读取（请重新输入该单元格）；应为{expected}",
    "cell.shared_text_missing": "单元格引用了{stored}，但文件中没有这一项"
    "（文件已损坏，请重新输入该单元格）；应为{expected}",
    "stored.number": "数字",
    "stored.yes_no": "是/否值",
    "stored.date": "日期",
    "stored.date_number": "日期格式的数字（超出日期范围）",
    "stored.other": "类型为 {kind} 的单元格",
    "stored.shared_text": "工作簿共享文本表（共 {count} 项）中的第 {index} 项",
    "cell.formula_unevaluated": "公式从未计算过；请在 Excel 中打开文件，让它计算后保存，或直接输入数值；"
    "应为{expected}",
    "cell.formula_unsaved": "公式没有保存的值；请在 Excel 中打开文件，让它计算后保存，或直接输入数值；"
    "应为{expected}",
    "sheet.near_miss": '工作表 "{title}" 不是 CopperLoop 工作表，已忽略；'
    '是否应为 "{name_zh}"（"{name_en}"）？',
    "sheet.second": '工作表 "{title}" 是第二个“{sheet}”工作表，已忽略；只读取 "{first}"',
    "sheet.none": "没有找到 CopperLoop 工作表；网络工作簿应包含 {names} 等工作表（可从模板开始：copperloop "
    "template）",
    "sheet.missing": '工作簿缺少 "{name_zh}" 工作表（英文名 "{name_en}"）；该工作表是必需的',
    "sheet.unreadable": '无法读取工作表 "{title}"：{error}',
    "sheet.too_many_rows": '工作表 "{title}" 有 {rows:,} 行；CopperLoop 每个工作表最多读取 {limit:,} 行',
    "sheet.more_rows": '工作表 "{title}" 超过 {limit:,} 行；第 {limit:,} 行之后的内容未读取',
    "sheet.rest_unreadable": '工作表 "{title}" 第 {row} 行之后无法读取（{error}）；之后的行未载入',
    "sheet.merged": "单元格 {range} 已合并，只有 {first} 有值，其余单元格读作空白；请取消合并并逐行填写",
    "sheet.merged_more": '工作表 "{title}" 的数据行中还有 {count} 处合并单元格；请一并取消合并',
    "sheet.hidden_row": '工作表 "{title}" 有 1 个含数据的隐藏行（第 {rows} 行）；'
    "它与其他行一样被读取：如果不应计入，请删除",
    "sheet.hidden_rows": '工作表 "{title}" 有 {count} 个含数据的隐藏行（第 {rows} 行）；'
    "它们与其他行一样被读取：如果不应计入，请删除",
    "sheet.no_header": '工作表 "{title}" 没有表头行；第 1 行应为表头 {expected}',
    "column.unknown": "未知列 {value} 已忽略；“{sheet}”工作表的列为 {expected}",
    "column.twice": "列 {value} 出现了两次；只读取 {first} 列",
    "column.missing": '工作表 "{title}" 缺少必需的列 "{header_zh}"（"{header_en}"）；该表的所有行都未读取',
    "parent.unknown": '{what} "{parent}" 不在“{sheet}”工作表中；此行未读取',
    "parameters.no_sheet": "工作簿没有“参数”工作表；使用默认参数",
    "parameters.too_many_rows": '工作表 "{title}" 有 {rows:,} 行；CopperLoop 最多读取 {limit:,} 行',
    "parameters.no_value_column": '工作表 "{title}" 没有 "数值"（"Value"）列',
    "parameters.missing": '工作表 "{title}" 中没有参数 "{name}"；使用默认值 {default}',
    "parameters.no_limit": "（无限制）",
    "parameters.nameless": "数值 {value} 在 {column} 列中没有参数名称，已忽略",
    "parameters.unknown": "未知参数 {value} 已忽略；参数应为 {names}",
    "parameters.again": "参数 {value} 重复出现；使用第 {row} 行",
    "parameters.formula": "{name}是没有保存值的公式；请输入数值，或在 Excel 中保存文件；应为{expected}",
    "file.problem": "{file}：{problem}",
    "file.defect": "{file}：{problem}；这是 CopperLoop 的缺陷，请连同此文件一起报告",
    "file.formulas": "无法检查其中的公式：{error}",
    "file.not_found": "找不到文件",
    "file.folder": "是文件夹，不是 Excel 工作簿",
    "file.encrypted": "工作簿设有密码（已加密）；请在 Excel 中打开，删除密码（文件 > 信息 > 保护工作簿 > "
    "用密码进行加密）后另存为 .xlsx",
    "file.xls": "是旧版 Excel 97-2003（.xls）文件；请在 Excel 中打开并另存为 Excel 工作簿（.xlsx）",
    "file.cannot_open": "无法打开（{error}）",
    "file.no_content_types": "已损坏：缺少每个 .xlsx 工作簿都有的 [Content_Types].xml 部件；"
    "请在 Excel 或 LibreOffice 中打开并重新另存为 .xlsx",
    "file.empty": "文件是空的",
    "file.not_zip": "不是 Excel .xlsx 工作簿（不是 zip 压缩包：文件已损坏、不完整，"
    "或是其他类型的文件，如 .csv）",
    "file.ods": "是 OpenDocument 电子表格（.ods）；请另存为 Excel 工作簿（.xlsx）",
    "file.zip_not_xlsx": "是 zip 压缩包，但不是 Excel .xlsx 工作簿（其中没有 xl/workbook.xml）",
    "file.zip_bomb": "解压后有 {unpacked_mb:,.0f} MB，超过 CopperLoop 读取上限 {limit_mb:,.0f} MB"
    "（可能是 zip 炸弹，或数据远多于一个网络所需）",
    "file.xml_entities_in": "部件 {part} 含有 XML 实体声明，CopperLoop 拒绝读取（它们可被用于“XML 炸弹”）；"
    "请在 Excel 中打开文件并重新另存为 .xlsx",
    "load.xml_entities": "工作簿含有 XML 实体声明，CopperLoop 拒绝读取（它们可被用于“XML 炸弹”）；请在 Excel "
    "中打开并重新另存为 .xlsx",
    "load.damaged": "文件已损坏或不完整（{error}）；请从 Excel 重新保存，或获取一份新的副本",
    "load.invalid_xml": "工作簿含有无效的 XML（{error}）；请在 Excel 中打开并重新另存为 .xlsx",
    "load.not_xlsx": "不是 Excel .xlsx 工作簿（{error}）",
    "load.too_large": "工作簿太大，无法读取",
    "load.missing_part": "已损坏：缺少它引用的部件 {part}；"
    "请在 Excel 或 LibreOffice 中打开并重新另存为 .xlsx",
    "load.other": "无法作为 Excel 工作簿读取（{kind}: {error}）",
    # -- 长任务的进度：阶段与其中的步骤 --------------------------------------------------------------
    "phase.validating": "检查网络",
    "phase.building": "构建模型",
    "phase.strengthening": "强化模型",
    "phase.solving": "求解",
    "phase.solving_lp_sites": "求解（初始方案）",
    "phase.solving_first_plan": "求解（首个方案）",
    "phase.solving_least_cost_at_best": "求解（最佳利用率下的最低成本）",
    "phase.solving_best_utilization": "求解（最佳利用率）",
    "phase.solving_least_cost": "求解（最低成本）",
    "phase.solving_point": "求解（权衡点 {k}/{n}）",
    "phase.explaining": "分析不可行的原因",
    "phase.extracting": "读取方案",
    "phase.routing": "规划路线",
    "phase.solving_round": "求解网络方案（设计-路线第 {k}/{n} 轮）",
    "plan_note.k_nearest": "每个回收点和等级只保留 {k} 个最便宜的去向：方案仅对这一受限网络最优",
    "plan_note.restricted_arcs": (
        "在 {total} 条可行线路中按 {kept} 条（各回收点最便宜的）求解；"
        "其余线路用线性松弛的对偶价格检验，界对全部线路成立"
    ),
    "plan_note.no_route": "{point} 的 {grade} 共 {t} 吨/年没有可行路线通往任何站点或冶炼厂",
    "plan_note.copper_amplifying": "某些产出率表产出的铜多于投入；未使用总产能不等式",
    "plan_note.least_cost_failed": "最低成本阶段结束时{outcome}（{why}）；方案为未做成本最小化的最高利用率解",
    "plan_note.least_cost": "该利用率下的最低成本：{cost} 元/年（{outcome}，间隙 {gap}）",
    "plan.infeasible_unexplained": "不可行：求解器找不到满足全部要求的方案",
    "plan.network_errors": "网络有 {count} 处错误：{listed}",
    "plan.network_errors_more": "网络有 {count} 处错误：{listed}（另有 {more} 处）",
    "route_note.no_supply": "{point}：无供应，无需收集",
    "route_note.assigned_closed": "{point}：指定站点 {site} 已关闭；由最近的车场 {depot} 收集",
    "route_note.assigned_not_site": "{point}：指定站点 {site} 不是本网络的站点；由最近的车场 {depot} 收集",
    "route_note.plan_missing_sites": "方案开设了本网络没有的站点 {sites}",
    "route_note.not_in_plan": "{point}：不在方案中（是否在求解后新增？）；未规划路线",
    "route_note.plan_buys_nothing": "{point}：方案不在此收购；未规划路线",
    "route_detail.assigned_closed": "指定站点 {site} 已关闭",
    "route_detail.assigned_not_site": "指定站点 {site} 不是本网络的站点",
    "route_detail.no_site_no_plan": "网络没有现有站点，也没有方案说明开设哪些候选站点："
    "请先求解网络，再按其方案规划路线",
    "route_detail.not_opened": "方案把它运往 {dest}，但这不是本网络已开设的站点",
    "route_fix.plan_or_assign": "先求解网络并按其方案规划路线（--plan），或将该回收点指定给一个开设的站点",
    "route_detail.no_carrier": "“车型”表中没有承运车辆",
    "route_detail.carrier_hours": "没有承运车辆能在其营业时间 {opens}-{closes} 时内装货",
    "route_detail.direct_unserved": "方案每年将 {t} 吨直接运往冶炼厂 {smelter}（{km} 公里）；"
    "冶炼厂没有收集车辆，且{why}",
    "route_fix.add_carrier": "在“车型”表中添加承运车辆（填写承运商每趟运价的一行），"
    "或让这部分经由一个开设的站点",
    "route_note.visits_capped": "{point}：每周 {n} 次访问超出 {days} 个工作日；按 {planned} 规划",
    "route_detail.window_too_short": "营业时间 {opens}-{closes}，短于其 {minutes} 分钟的作业时间",
    "route_fix.longer_window": "营业时间至少 {minutes} 分钟（回收点：开门/关门时间），或缩短作业时间",
    "route_fix.more_visits": "每周至少需要 {n} 次访问，或更大的车",
    "route_fix.bigger_truck": "需要更大的车",
    "route_detail.pickup_too_big": "每次访问装货 {kg} 千克（每年 {t} 吨，每周 {visits} 次），"
    "但 {depot} 最大的车只能装 {largest} 千克；{remedy}",
    "route_detail.beyond_shift": "从 {depot} 往返并作业至少需要 {hours} 小时，"
    "超过所有能装下 {kg} 千克的车辆的班次时长",
    "route_detail.window_unreachable": "{depot} 的车辆都无法在其营业时间 {opens}-{closes} 内到达"
    "并在 {back} 前返回",
    "route_fix.nearer_site": "延长营业时间，或由更近的站点收集",
    "route_plan.visits": "每周 {b} 次访问中完成 {a} 次，共 {n} 个车日",
    "route_plan.visits_hauls": "每周 {b} 次访问中完成 {a} 次，共 {n} 个车日；"
    "{hauls} 个整车直运，每周 {trips} 趟",
    "route_detail.no_routes": "{engine} 用现有 {trucks} 辆车找不到服务全部必需访问的路线（{depot}，{day}）",
    "route_detail.cancelled": "路线规划取消时尚未安排路线（{depot}，{day}）",
    "route_detail.cancelled_first": "路线规划在处理该车场和日期之前已取消（{depot}，{day}）",
    "route_detail.no_room": "{day} {depot} 的 {trucks} 辆车已无空间：当天 {visits} 次访问（{kg} 千克；"
    "所有车辆各跑一趟可装 {payload} 千克）需要的车辆、趟数或班次时长超过现有能力",
    "route_fix.one_more_truck": "{day} 在 {depot} 增加一辆车（--size-fleet 可算出一周所需车辆数），"
    "或延长时间限制",
    "route_detail.depot_no_trucks": "车场 {depot} 没有车辆（没有可用车型）",
    "route_fix.depot_vehicle": "在 {depot} 配置车型（“车型”表：车场），或使用承运车辆（按趟运价）",
    "infeasible.target": "{wanted} 的利用率目标无法达到：最多可达 {best}（缺 {short}）",
    "infeasible.context_target": " {wanted} 的目标",
    "infeasible.context_any": "任何方案即使没有目标也必须支出的部分",
    "infeasible.sites_binding": "新建站点上限 {limit} 个已用尽："
    "可达到的最佳方案（{best}）开设了全部 {all} 个",
    "infeasible.budget_binding": "年度预算 {budget} 元已用尽：可达到的最佳方案（{best}）用完了全部预算",
    "infeasible.budget_binding_needs": "年度预算 {budget} 元已用尽："
    "可达到的最佳方案（{best}）用完了全部预算；{wanted} 的目标至少需要 {needed} 元的固定、加工和运输成本"
    "（还差 {more} 元）",
    "infeasible.smelter_capacity": "冶炼厂进料产能距{context}还差 {short}（{detail}）",
    "infeasible.smelter_capacity_reach": "冶炼厂进料产能距{context}还差 {short}；最多可达 {best}（{detail}）",
    "infeasible.site_capacity": "站点加工产能距{context}还差 {short}（{detail}）",
    "infeasible.site_capacity_reach": "站点加工产能距{context}还差 {short}；最多可达 {best}（{detail}）",
    "infeasible.site_detail": "{site} 需要比其最大模块多 {t}",
    "infeasible.budget_short": "年度预算 {budget} 元距{context}还差 {extra} 元",
    "infeasible.budget_short_reach": "年度预算 {budget} 元距{context}还差 {extra} 元；最多可达 {best}",
    "infeasible.sites_short": "新建站点上限 {limit} 个距{context}还差 {extra} 个",
    "infeasible.sites_short_reach": "新建站点上限 {limit} 个距{context}还差 {extra} 个；最多可达 {best}",
    "infeasible.blend_short": "{smelter} 的最低含铜量（{pct}）距{context}还差 {short}",
    "infeasible.blend_short_reach": "{smelter} 的最低含铜量（{pct}）距{context}还差 {short}；最多可达 {best}",
    "infeasible.unreachable": "即使产能和预算不受限，仍有 {left}（占全部供应铜量的 {pct}）无法到达冶炼厂："
    "在运距限制和等级接收范围内没有可行路线，或在加工中作为残余物损失",
    "phase.routing_round": "规划路线（设计-路线第 {k}/{n} 轮）",
    "phase.sweeping": "运行情景",
    "phase.open": "打开",
    "phase.export": "导出",
    "phase.done": "完成",
    "progress.building": "正在构建模型",
    "progress.built": "模型已建好：{arcs:,} 条弧、{binaries:,} 个是否决策、{constraints:,} 个约束，"
    "用时 {seconds:.1f} 秒",
    "progress.separating": "加入线性松弛所需的连接约束",
    "progress.linking_added": "经 {rounds} 轮线性规划加入 {rows:,} 条连接约束",
    "progress.linking_added_partial": "经 {rounds} 轮线性规划加入 {rows:,} 条连接约束（未全部找到即停止）",
    "progress.start_plan": "由线性松弛选中的站点得到初始方案：{objective:,.0f}",
    "progress.first_plan": "首个方案（{sites} 个站点，由线性松弛取整并逐站改进）：{objective:,.0f}",
    "progress.restricted": "初始方案：只在线性松弛开启的 {kept}/{total} 个候选站点上求解",
    "progress.lagrangian_started": "设施选址：计算拉格朗日下界（松弛供应约束）",
    "progress.lagrangian_fixed": "拉格朗日下界 {bound:,.0f}，对照方案 {target:,.0f}：{closed}/{total} "
    "个站点不可能出现在更优方案中，已关闭",
    "progress.extracting": "正在读取方案",
    "progress.explaining": "各项要求无法同时满足，正在查找原因",
    "progress.solver_started": "{solver} 已启动",
    "progress.sweep": "已完成 {done}/{total} 个情景（{failed} 个失败），约剩 {eta}",
    "progress.solver_ended": "{solver}：{outcome}",
    "outcome.optimal": "最优",
    "outcome.feasible": "已停止，有方案",
    "outcome.no_solution": "已停止，无方案",
    "outcome.infeasible": "不可行",
    "outcome.unbounded": "无界",
    "outcome.cancelled": "已取消",
    "outcome.error": "出错",
    # -- 方案状态 ------------------------------------------------------------------------------------
    "status.optimal": "最优",
    "status.optimal_gap": "最优（差距 {gap} 以内）",
    "status.cancelled_empty": "在找到方案之前已取消",
    "status.cancelled": "已取消；方案为目前找到的最佳解（未证明最优）",
    "status.time_limit": "在时间限制（{limit} 秒）处停止，差距 {gap}；方案可行，但未证明最优",
    "status.time_limit_no_gap": "在时间限制（{limit} 秒）处停止；方案可行，但未证明最优",
    "status.time_limit_no_solution": "在时间限制（{limit} 秒）内未找到可行方案；请给更多时间",
    "status.infeasible": "各项要求无法同时满足",
    "status.error": "求解器出错",
    "status.sweep": "已求解 {solved}/{n} 个权衡点，利用率 {low} 至 {high}",
    "status.error_because": "求解器出错：{why}",
    "status.error_log": "求解器出错：{why}（最后几行日志：{log}）",
    "plan.infeasible": "不可行：{reasons}",
    "plan.cost_needs_target": "成本目标需要利用率目标（给出 --target，或在网络参数中设置目标利用率）",
    "multiyear.cannot_run_yet": "{site} 须在 {year} 年运行 {module}，但届时尚不能运行"
    "（最早年份、准备期或建设期）",
    "multiyear.model_error": "无法构建多年模型：{why}",
    "multiyear.cost_needs_target": "成本目标需要利用率目标：请在“期间”表中逐期设置，或在参数中设置",
    # -- 多年投资规划 ----------------------------------------------------------------------------------
    "multiyear.invalid": "网络有错误：{errors}",
    "multiyear.no_periods": "网络没有“期间”表行：只能规划单一年份",
    "multiyear.building": "正在构建 {periods} 期模型",
    "multiyear.cancelled_building": "构建模型时已取消",
    "multiyear.year_by_year": "正在单独规划 {year} 年（第 {k}/{n} 期），求上界和初始建设计划",
    "multiyear.year_tightening": "用 {seconds} 秒重新规划 {year} 年：它占差距的最大部分",
    "multiyear.year_by_year_gap": "逐年单独规划：完整方案，已证明差距在 {gap} 以内",
    "multiyear.note_borrowed_bounds": "{count} 期求解结束时没有自己的上界，采用了支配它们的一期"
    "（供应不少于它们、价格相同）的上界，再加上其模块固定成本的最大差额",
    "multiyear.note_tightened": "{count} 期用更多时间重新规划以缩小差距",
    "multiyear.note_years": "各年求解（墙钟秒数，本年已证明的差距；- 表示没有）：{years}",
    "multiyear.bounded": "与最佳方案的差距已证明在 {gap} 以内：逐年单独规划给出净现值上界；未求解含 "
    "{variables:,} 个变量的多年混合整数模型",
    "multiyear.year_short": "{year} 年：{reason}",
    "multiyear.target_short": "{year} 年：{target} 的利用率目标差 {short} 吨铜；最高可达 {best}",
    "multiyear.schedule_infeasible": "每一年单独都能满足要求，但资本预算、最早年份、前置期或建设期使任何"
    "建设计划都无法同时满足：请提高预算或允许更早建设",
    "multiyear.nothing_to_build": "无需新建：{first}–{last} 年间没有任何新模块能收回投资",
    "multiyear.note_year_by_year": "先逐年规划（{seconds} 秒，{resolved} 期按建设计划固定站点后重新求解）；"
    "净现值上界 {bound} 元",
    "multiyear.bounded_after_failure": "与最佳方案的差距已证明在 {gap} 以内：逐年单独规划给出净现值上界；"
    "以该方案为起点求解含 {variables:,} 个变量的多年混合整数模型时求解器出错，方案为逐年规划的方案",
    "routing.start": "用 {engine} 规划 {n} 个车场日的路线",
    "routing.depot_day": "{depot}，{day}",
    "routing.so_far": "{what}：目前 {cny:,.0f} 元",
    "routing.trying": "尝试在{day}从 {depot} 服务 {point}",
    "weekday.0": "周一",
    "weekday.1": "周二",
    "weekday.2": "周三",
    "weekday.3": "周四",
    "weekday.4": "周五",
    "weekday.5": "周六",
    "weekday.6": "周日",
    # -- the command line ------------------------------------------------------------------------------
    "cli.output_is_folder": "“{path}”是文件夹；请给出文件名",
    "cli.output_folder_missing": "“{path}”：文件夹“{folder}”不存在（CopperLoop 不会创建文件夹："
    "请先创建，或换一个位置）",
    "cli.output_parent_not_folder": "“{path}”：“{folder}”是文件，不是文件夹",
    "cli.output_folder_read_only": "“{path}”：无法写入文件夹“{folder}”（没有权限）",
    "cli.stopping": "正在尽快停止求解（同应用中的“取消”）；再按一次 Ctrl+C 立即退出",
    "cli.quit": "已中断：立即退出，没有方案",
    "cli.no_display": "没有可打开应用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY）。请在桌面环境中运行，"
    "或不用显示器把一个视图保存为图片：{command}",
    "cli.plan_other_network": "方案“{plan_file}”是为网络“{plan_network}”求解的，而本工作簿是“{network}”："
    "请先求解本工作簿（{command}），再使用该方案",
    "cli.plan_unknown_ids": "方案“{plan_file}”用到了本工作簿没有的站点或回收点（{ids}）："
    "它是为另一版本的网络求解的；请重新求解本工作簿",
    "cli.pareto_not_plan": "“{path}”是权衡曲线（{sweep}），不是方案：--plan 需要一个方案，由 {command} 写出",
    "cli.not_a_plan": "“{path}”不是 {command} 写出的方案（{reason}）",
    # -- why a plan collects nothing (optimizer.design.degenerate) -----------------------------------------
    "plan.nothing_to_decide": "无可决策：{why}；方案不回收任何废料（{status}）",
    "plan.nothing_collected": "无法回收任何废料：{why}",
    "plan.no_collection_point": "网络中没有回收点",
    "plan.no_supply": "所有回收点的供应量均为 0 吨/年：没有可回收的废料",
    "plan.no_destination": "网络中没有运行中或候选的站点，也没有可交付的冶炼厂",
    "plan.out_of_reach": "没有回收点能在运距限制内到达任何站点或冶炼厂："
    "最近的一对是 {point} -> {destination}，{km} 公里 > {limit} 公里（收集运距限制）",
    "plan.no_route": "没有回收点的废料能通往接收它的冶炼厂：收集运距内的站点和冶炼厂不接收其等级，"
    "或无法在转运和交付运距内把产出送出",
    "plan.trivial": "{stopped}，此时只有平凡方案，它不回收任何废料（利用率 0%）："
    "求解器未能及时找到回收废料的方案。请给更多时间（{time_option}），或减少每个回收点的去向（{k_option}）",
    "plan.stopped_at_limit": "在时间限制（{limit} 秒）处停止",
    "plan.stopped_by_cancel": "已被用户取消",
    "plan.text": "{text}",
    # -- 情景扫描的结果 ----------------------------------------------------------------------------------
    "sweep_result.failed": "该情景求解出错：{error}",
    "sweep_result.not_started": "开始之前已取消",
    "sweep_result.worker_failed": "运行它的工作进程出错：{error}",
    "sweep_result.dask_worker_failed": "运行它的 Dask 工作节点出错：{error}",
    "duration.s": "{n} 秒",
    "duration.min": "{n} 分钟",
    "duration.h": "{n} 小时",
    "break_even.not_candidate": "{site} 不是候选站点：只有候选站点才有盈亏平衡铜价",
    "break_even.base_failed": "基准铜价（{price} 元/吨铜）下的求解没有得到方案",
    "break_even.solve_failed": "铜价 {price} 元/吨铜下的求解没有得到方案",
    "break_even.not_open": "铜价 {price} 元/吨铜时 {site} 不开设",
    "break_even.still_opens": "铜价 {price} 元/吨铜时 {site} 仍然开设",
    "two_stage.feasible_gap": "已停止，有方案（差距 {gap}）",
    # -- 无法运行的情景扫描：因素与设置 ------------------------------------------------------------------
    "factor.syntax": "因素“{text}”：应为 {list_form} 或 {range_form}",
    "factor.no_ids": "因素“{text}”：应为以逗号分隔的站点或冶炼厂 id",
    "factor.not_parameter": "因素“{name}”：“{field}”不是数值参数",
    "factor.unknown": "未知因素“{name}”；应为以下之一：{known}",
    "factor.not_number": "因素“{text}”：“{value}”不是数字",
    "factor.not_finite": "因素“{text}”：“{value}”不是有限数",
    "factor.range_syntax": "因素“{text}”：应为 start:stop:step",
    "factor.step": "因素“{text}”：步长应大于 0，实际为 {step}",
    "factor.range_down": "因素“{text}”：范围应递增（start <= stop）",
    "factor.too_many": "因素“{text}”：共 {count:,} 个取值；最多 {limit:,} 个",
    "factor.no_grade": "因素“{name}”：网络中没有等级“{grade}”",
    "factor.no_province": "因素“{name}”：没有回收点位于省份“{province}”",
    "factor.no_smelter": "因素“{name}”：网络中没有冶炼厂“{smelter}”",
    "factor.supply_negative": "供应系数应为 0 或以上，实际为 {factor}",
    "factor.capex_negative": "投资系数应为 0 或以上，实际为 {factor}",
    "factor.no_node": "因素“unavailable”：“{node}”既不是网络中的站点，也不是冶炼厂",
    "factor.none": "没有因素：每行写一个，例如 copper_price=60000:90000:10000",
    "sweep_def.repeated": "重复给出的因素：{names}",
    "sweep_def.samples": "样本数应至少为 1，实际为 {samples}",
    "sweep_def.tornado": "龙卷风图步长应在 [0, 100) % 之间，实际为 {pct}",
    "sweep_def.tolerance": "盈亏平衡容差应大于 0 元/吨铜，实际为 {tolerance}",
    "sweep_def.floor": "盈亏平衡搜索下限应在铜价的 (0, 1) 倍之间，实际为 {share}",
    "sweep_def.probabilities": "情景概率应 >= 0 且总和为 1",
    "sweep_def.probability_count": "给出了 {given} 个概率，但有 {scenarios} 个情景",
    "sweep_def.too_many": "网格共有 {count:,} 个情景；最多 {limit:,} 个",
    "sweep_def.no_year": "单一年份 {year}：“期间”表中没有包含该年份的期间",
    "sweep_def.problems": "{problems}",
    "sweep_setting.yes_no": "#stochastic 为“{value}”；应为 yes 或 no",
    "sweep_setting.unknown": "未知设置“{name}”；应为以下之一：{known}",
    "sweep_setting.not_number": "{name} 为“{value}”；应为数字",
}

_CATALOGUES = {"en": EN, "zh": ZH}


def render(code: str, params: Params = (), lang: str = "en") -> str:
    """The text of message ``code`` with ``params`` in ``lang`` (English when ``lang`` is unknown or the
    code has no entry in that language)."""
    template = _CATALOGUES.get(lang, EN).get(code) or EN[code]
    return template.format(**{name: _localize(value, lang) for name, value in params})


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses (``{rows:,}`` counts as ``rows``)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _localize(value: object, lang: str) -> object:
    render_in = getattr(value, "render", None)
    return render_in(lang) if callable(render_in) else value


# --- terms -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Msg:
    """A catalogue entry with its parameters; also the nested phrases of a message."""

    code: str
    params: Params = ()

    def render(self, lang: str = "en") -> str:
        return render(self.code, self.params, lang)

    def __str__(self) -> str:
        return self.render("en")


def msg(code: str, **params: object) -> Msg:
    """``Msg(code, params)`` with the parameters given by name."""
    if code not in EN:
        raise KeyError(f"no message {code!r} in the catalogue")
    return Msg(code, tuple(params.items()))


@dataclass(frozen=True, slots=True)
class Localized:
    """A text the schema spells in both languages (a sheet name, a header, an enum label)."""

    en: str
    zh: str

    def render(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Of:
    """A subject in the possessive: English as is, Chinese followed by 的 (or by a space when the
    subject already has a 的, as in 回收点 "CP-1" 的等级 "No2" 供应量)."""

    subject: Msg

    def render(self, lang: str = "en") -> str:
        text = self.subject.render(lang)
        if lang != "zh":
            return text
        if "的" in text:
            return text + " "
        return text + (" 的" if text.endswith('"') else "的")


#: Model field -> (words a planner reads, unit of its values) in English.
FIELD_EN: dict[str, tuple[str, str]] = {
    "id": ("id", ""),
    "lat": ("latitude", ""),
    "lon": ("longitude", ""),
    "copper_content": ("copper content", ""),
    "price_coefficient": ("price coefficient", ""),
    "supply_t_per_year": ("supply", "t/yr"),
    "purchase_price_cny_per_t": ("purchase price", "CNY/t"),
    "buyback_coefficient": ("buy-back coefficient", ""),
    "opens_hour": ("opening hour", ""),
    "closes_hour": ("closing hour", ""),
    "service_time_min": ("service time", "min"),
    "visits_per_week": ("visits per week", ""),
    "assigned_site_id": ("assigned site", ""),
    "capacity_t_per_year": ("capacity", "t/yr"),
    "fixed_cost_cny_per_year": ("fixed cost", "CNY/yr"),
    "variable_cost_cny_per_t": ("variable cost", "CNY/t"),
    "co2_kg_per_t": ("CO2 emission", "kg/t"),
    "fraction": ("yield fraction", ""),
    "input_grade_id": ("input grade", ""),
    "output_grade_id": ("output grade", ""),
    "accepted_grade_ids": ("accepted grade", ""),
    "min_copper_content": ("minimum copper content", ""),
    "price_cny_per_t_cu": ("copper price", "CNY/t Cu"),
    "price_basis": ("price basis", ""),
    "price_discount_cny_per_t_cu": ("price discount", "CNY/t Cu"),
    "payload_t": ("payload", "t"),
    "fixed_cost_cny_per_day": ("fixed cost", "CNY/day"),
    "cost_cny_per_km": ("cost per km", "CNY/km"),
    "speed_km_per_h": ("speed", "km/h"),
    "max_shift_h": ("maximum shift", "h"),
    "count_per_depot": ("trucks per depot", ""),
    "co2_kg_per_km": ("CO2 emission", "kg/km"),
    "depot_ids": ("depot", ""),
    "copper_price_cny_per_t": ("copper price", "CNY/t"),
    "transport_cost_cny_per_t_km": ("transport cost", "CNY/t-km"),
    "circuity_factor": ("circuity factor", ""),
    "co2_kg_per_t_km": ("transport CO2 emission", "kg/t-km"),
    "carbon_price_cny_per_t_co2": ("carbon price", "CNY/t CO2"),
    "target_utilization": ("target utilization", ""),
    "annual_budget_cny": ("annual budget", "CNY"),
    "max_new_sites": ("maximum number of new sites", ""),
    "max_haul_km_collection": ("maximum collection haul", "km"),
    "max_haul_km_transfer": ("maximum transfer haul", "km"),
    "max_haul_km_delivery": ("maximum delivery haul", "km"),
    "working_days_per_week": ("working days per week", ""),
    "weeks_per_year": ("weeks per year", ""),
    "road_km": ("road distance", "km"),
    "cost_cny_per_t": ("transport cost", "CNY/t"),
    "from_id": ("start", ""),
    "to_id": ("end", ""),
    "capex_cny": ("capex", "CNY"),
    "build_time_years": ("build time", "years"),
    "fixed_opex_cny_per_year": ("fixed operating cost", "CNY/yr"),
    "economic_life_years": ("economic life", "years"),
    "jobs": ("jobs", ""),
    "earliest_year": ("earliest year", ""),
    "lead_time_years": ("lead time", "years"),
    "closing_cost_cny": ("closing cost", "CNY"),
    "year": ("year", ""),
    "length_years": ("length", "years"),
    "supply_factor": ("supply factor", ""),
    "factor": ("growth factor", ""),
    "capital_budget_cny": ("capital budget", "CNY"),
    "discount_rate": ("discount rate", ""),
    "vat_rate_simplified": ("simplified VAT rate", ""),
    "vat_rate_general": ("general VAT rate", ""),
    "vat_refund_share": ("VAT refund share", ""),
    "income_tax_rate": ("income tax rate", ""),
    "avoided_co2_t_per_t_cu": ("avoided CO2", "t CO2/t Cu"),
}


def _field_names_zh() -> dict[str, str]:
    """Model field -> its Chinese column header (without unit), from the schema, first sheet wins."""
    names: dict[str, str] = {}
    for spec in SHEETS:
        for col in spec.columns:
            names.setdefault(col.key, col.header_zh)
    for col in PARAMETER_ROWS:
        names.setdefault(col.key, col.header_zh)
    # Where a header names a column rather than the quantity ("等级编号" for the grade's own id).
    names.update({"id": "编号", "from_id": "起点", "to_id": "终点", "depot_ids": "车场"})
    return names


#: Model field -> words in Chinese: the schema's Chinese headers.
FIELD_ZH: dict[str, str] = _field_names_zh()

#: Units of :data:`FIELD_EN` in Chinese: the schema's, plus the few validation spells its own way.
UNIT_NAMES_ZH: dict[str, str] = {
    **UNIT_ZH,
    "h": "小时",
    "kg/t": "千克/吨",
    "kg/km": "千克/公里",
    "CNY/t-km": "元/吨·公里",
    "kg/t-km": "千克/吨·公里",
}


@dataclass(frozen=True, slots=True)
class FieldName:
    """A model field as a planner reads it ("supply", 供应量)."""

    key: str

    def render(self, lang: str = "en") -> str:
        if lang == "zh":
            return FIELD_ZH.get(self.key, self.key)
        return FIELD_EN.get(self.key, (self.key.replace("_", " "), ""))[0]


@dataclass(frozen=True, slots=True)
class Amount:
    """A value of a model field as typed, with the field's unit when it is a number (``-5 t/yr``)."""

    value: object
    field: str

    def render(self, lang: str = "en") -> str:
        shown = fmt_value(self.value)
        unit = FIELD_EN.get(self.field, ("", ""))[1]
        if not unit or not is_number(self.value):
            return shown
        return f"{shown} {UNIT_NAMES_ZH.get(unit, unit) if lang == 'zh' else unit}"


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def fmt_value(value: object) -> str:
    """A value as a planner would type it: 5 not 5.0, 0.35 not 0.35000000000000003, text quoted."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else _scientific(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    if isinstance(value, str):
        # a message quotes the start of a long text, never all of it (a 100,000-character name)
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}..."'
    return str(value)


def _scientific(value: int) -> str:
    """A huge whole number as ``1e+308``: never the 309 digits, even beyond the range of a float."""
    try:
        return f"{float(value):.6g}"
    except OverflowError:
        digits = str(abs(value))
        mantissa = f"{digits[0]}.{digits[1:6]}".rstrip("0").rstrip(".")
        return f"{'-' if value < 0 else ''}{mantissa}e+{len(digits) - 1}"


# --- the schema's words in both languages -----------------------------------------------------------


def sheet_name(spec: SheetSpec) -> Localized:
    return Localized(spec.name_en, spec.name_zh)


def column_label(col: ColumnSpec) -> Localized:
    """The header without unit, as the start of a sentence reads it ("supply", 供应量)."""
    return Localized(col.header_en.lower(), col.header_zh)


def column_headers(cols: tuple[ColumnSpec, ...]) -> Localized:
    """Every header of a sheet, quoted, as a list."""
    return Localized(
        ", ".join(f'"{header(c)}"' for c in cols), "、".join(f'"{header(c, "zh")}"' for c in cols)
    )


def column_expected(col: ColumnSpec) -> Msg:
    """What a valid value of ``col`` looks like; its English is :meth:`ColumnSpec.expected`."""
    what = msg(
        f"type.{col.type}",
        **({"values": Localized(", ".join(col.allowed), "、".join(col.enum_labels("zh")))}
           if col.type == "enum" else {}),
    )
    low = None if col.min_value is None else format_number(col.min_value)
    high = None if col.max_value is None else format_number(col.max_value)
    if low is not None and high is not None:
        what = msg("type.above_to" if col.min_exclusive else "type.from_to", type=what, low=low, high=high)
    elif low is not None:
        what = msg("type.above" if col.min_exclusive else "type.at_least", type=what, low=low)
    elif high is not None:
        what = msg("type.at_most", type=what, high=high)
    if col.unit and col.unit != FRACTION_UNIT:
        unit = Localized(col.unit, col.unit_label("zh"))
        return msg("column.expected_unit", label=column_label(col), unit=unit, what=what)
    return msg("column.expected", label=column_label(col), what=what)


def enum_label(col: ColumnSpec, value: object) -> Localized:
    """An enum value of ``col`` as a workbook in either language spells it (``candidate``, 候选)."""
    text = f"{value}"
    labels = col.enum_labels("zh")
    zh = labels[col.allowed.index(text)] if text in col.allowed else text
    return Localized(text, zh)


def site_status(value: object) -> Localized:
    """A site's status in both languages."""
    return enum_label(_SITE_STATUS, value)


_SITE_STATUS = next(c for s in SHEETS if s.entity == "site" for c in s.columns if c.key == "status")
