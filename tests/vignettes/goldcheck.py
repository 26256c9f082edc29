#!/usr/bin/env python3
"""goldcheck.py - check the gold labels of vignette files against the rules
of ../shared/domain/conditions.md, read independently of kb/ (a second,
literal reading of section 2, so that a label cannot simply follow what
the engine says).

    goldcheck.py FILE.jsonl...

For every case: each must_flag id must fire under section 2 for its
report; the gold triage must not be below the highest red flag the report
raises (section 1 a) nor below the primary condition's own level (section
3, section 1 b). Prints FILE:LINE: id: problem; exit 1 if any. Only the
Python standard library is used."""
import json, sys

LOWER_LEG = {"shin_inner", "shin_front", "shin_outer", "calf"}
THIGH = {"thigh_front", "thigh_back", "thigh_outer", "thigh_inner"}
BONY = {"shin_inner", "shin_front", "shin_outer", "foot_top", "heel", "ankle",
        "hip_groin"}
DEEP_VEIN = {"calf", "knee_back", "thigh_back", "thigh_inner"}
TENDON = {"achilles", "calf", "heel", "ankle"}
LEVELS = ["self_care", "see_clinician", "urgent", "emergency"]
FLAG_LEVEL = {
    "chest_symptoms": 3, "dark_or_scant_urine": 3, "confusion_or_vomiting": 3,
    "compartment_signs": 3, "cold_pale_foot": 3, "cauda_equina_signs": 3,
    "suspected_dvt": 2, "spreading_infection_signs": 2,
    "unable_to_bear_weight": 2, "tendon_rupture_signs": 2,
    "high_risk_bone_site": 2, "new_foot_drop_or_weakness": 2,
    "bony_stress_signs": 1, "exertional_neurovascular_pattern": 1,
    "not_improving": 1}
# section 3: the lowest level each condition can have (strains by grade,
# tendinopathy, rhabdomyolysis and the others can only go up from here)
CONDITION_MIN = {
    "muscle_hernia": 1, "tibial_stress_fracture": 1,
    "fibular_stress_fracture": 1, "metatarsal_stress_fracture": 1,
    "anterior_tibial_stress_fracture": 2, "femoral_neck_stress_fracture": 2,
    "navicular_stress_fracture": 2, "cecs": 1,
    "acute_compartment_syndrome": 3, "paes": 1, "dvt": 2,
    "pulmonary_embolism": 3, "exertional_rhabdomyolysis": 2,
    "achilles_rupture": 2, "lumbar_radiculopathy": 1,
    "cauda_equina_syndrome": 3, "cellulitis": 2}


def flags(r):
    """The red flags of section 2 that fire ("true" = present and true)."""
    reg, side = set(r["location"]["regions"]), r["location"]["side"]
    s, g, p = r["screen"], r["signs"], r["pain"]
    c, h = r.get("checks", {}), r.get("history", {})
    yes = lambda d, k: d.get(k) is True
    hop, score = c.get("can_hop"), p["score"]
    out = set()
    if s["chest_pain_or_breathless"]:
        out.add("chest_symptoms")
    if s["urine"] in ("dark_cola", "little_or_none"):
        out.add("dark_or_scant_urine")
    if s["vomiting_or_confusion"]:
        out.add("confusion_or_vomiting")
    if reg & (LOWER_LEG | THIGH) and yes(p, "at_rest") and (
            (yes(c, "muscle_rock_hard") and
             (yes(c, "passive_stretch_pain") or score >= 7)) or
            (yes(c, "passive_stretch_pain") and
             (s["numbness_tingling"] or s["weakness"] == "foot_drop"))):
        out.add("compartment_signs")
    if yes(c, "foot_cold_or_pale") and yes(p, "at_rest"):
        out.add("cold_pale_foot")
    if yes(c, "saddle_or_bladder_change"):
        out.add("cauda_equina_signs")
    injury = p["onset"] == "sudden_during_run" and yes(c, "pop_or_kicked")
    if ((g["swelling"] in ("whole_calf", "whole_leg") and not injury
         and not yes(h, "fall_or_blow")) or
            (reg & DEEP_VEIN and side != "both" and h.get("clot_risks") and
             (g["swelling"] != "none" or g["warmth"] or yes(p, "at_rest")
              or yes(p, "at_night"))) or
            g.get("lump") == "tender_cord_along_vein"):
        out.add("suspected_dvt")
    if g["redness"] and g["warmth"] and (s["fever"] or
                                         yes(c, "redness_spreading")):
        out.add("spreading_infection_signs")
    if s["can_walk"] in ("few_steps_only", "not_at_all"):
        out.add("unable_to_bear_weight")
    if reg & TENDON and ((yes(c, "pop_or_kicked") and
                          (yes(c, "cannot_tiptoe") or
                           s["weakness"] == "weak_push_off")) or
                         g.get("lump") == "gap_or_dent_in_tendon"):
        out.add("tendon_rupture_signs")
    if ("shin_front" in reg and c.get("tenderness") == "focal_spot_on_bone") \
            or ("hip_groin" in reg and (hop in ("painful", "unable") or
                                        yes(p, "at_night"))):
        out.add("high_risk_bone_site")
    if s["weakness"] == "foot_drop" and "compartment_signs" not in out:
        out.add("new_foot_drop_or_weakness")
    if reg & BONY and (c.get("tenderness") == "focal_spot_on_bone" or
                       hop in ("painful", "unable") or
                       (yes(p, "at_night") and
                        p["onset"] == "gradual_over_weeks")):
        out.add("bony_stress_signs")
    if (p.get("pattern") ==
            "starts_at_predictable_point_eases_after_stopping"
            and not yes(p, "at_rest") and
            (s["numbness_tingling"] or yes(c, "foot_cold_or_pale"))):
        out.add("exertional_neurovascular_pattern")
    days, trend = p["days_with_symptoms"], p.get("trend")
    if (trend == "worse" and days >= 3) or (days >= 14 and trend != "better") \
            or (p["onset"] in ("next_day", "after_run_same_day") and
                days >= 7 and trend != "better"):
        out.add("not_improving")
    return out


def problems(v):
    r, gold = v["report"], v["gold"]
    fired, level = flags(r), LEVELS.index(gold["triage"])
    out = []
    missing = sorted(set(gold["must_flag"]) - fired)
    if missing:
        out.append(f"must_flag {missing} does not fire under section 2")
    floor = max((FLAG_LEVEL[f] for f in fired), default=0)
    if level < floor:
        out.append(f"gold {gold['triage']} is below the red flags "
                   f"{sorted(fired)} ({LEVELS[floor]})")
    own = CONDITION_MIN.get(gold["primary_condition"], 0)
    if level < own:
        out.append(f"gold {gold['triage']} is below "
                   f"{gold['primary_condition']}'s own level {LEVELS[own]}")
    return out


def main(paths):
    bad = n = 0
    for path in paths:
        with open(path) as f:
            for line, text in enumerate(f, 1):
                if not text.strip():
                    continue
                v, n = json.loads(text), n + 1
                for p in problems(v):
                    print(f"{path}:{line}: {v['id']}: {p}")
                    bad += 1
    print(f"goldcheck: {n} cases, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
