#!/usr/bin/env python3
"""goldcheck.py - check the gold labels of vignette files against the rules
of ../shared/domain/conditions.md (second edition), read independently of
kb/: a literal reading of section 2 written from the brief alone, by a
writer who had not seen the engine's rules, so that a label cannot simply
follow what the engine says.

    goldcheck.py FILE.jsonl...

For every case: each must_flag id must fire under section 2 for its
report; the gold triage must not be below the highest red flag the report
raises (section 1 a) nor below the lowest level the primary condition can
have by section 3 (its default, or the mildest of its grades). Prints
FILE:LINE: id: problem; exit 1 if any. Only the Python standard library is
used."""
import json, sys

LEVELS = ["self_care", "see_clinician", "urgent", "emergency"]
# the mildest level each condition can have (section 3; 0 when it can be
# self-care)
CONDITION_MIN = {
    "muscle_hernia": 1, "tibial_stress_fracture": 1,
    "fibular_stress_fracture": 1, "metatarsal_stress_fracture": 1,
    "anterior_tibial_stress_fracture": 2, "femoral_neck_stress_fracture": 2,
    "navicular_stress_fracture": 2, "cecs": 1,
    "acute_compartment_syndrome": 2, "paes": 1, "dvt": 2,
    "pulmonary_embolism": 3, "exertional_rhabdomyolysis": 2,
    "achilles_rupture": 2, "lumbar_radiculopathy": 1,
    "cauda_equina_syndrome": 2, "cellulitis": 2,
    "calcaneal_stress_fracture": 1, "tibialis_posterior_tendinopathy": 1,
    "tarsal_tunnel": 1, "ankle_or_foot_fracture": 1,
    "knee_ligament_or_meniscus_injury": 1, "bakers_cyst": 1,
    "proximal_hamstring_tendinopathy": 1, "gluteal_tendinopathy": 1,
    "hip_related_pain": 1, "adductor_groin_pain": 1, "nerve_entrapment": 1,
    "peripheral_arterial_disease": 1, "septic_arthritis": 2,
    "bone_tumour_or_infection": 2, "scfe": 2, "statin_myopathy": 2,
    "fluoroquinolone_tendinopathy": 2, "charcot_foot": 2, "reds": 1,
    "exertional_sickling": 3, "exertional_heat_stroke": 3}

LEVEL = {"self_care": 0, "see_clinician": 1, "urgent": 2, "emergency": 3}
LOWER_LEG = {"shin_inner", "shin_front", "shin_outer", "calf"}
THIGH = {"thigh_front", "thigh_back", "thigh_outer", "thigh_inner"}
BONY = {"shin_inner", "shin_front", "shin_outer", "foot_top", "heel", "ankle", "hip_groin", "midfoot", "forefoot"}
DEEP_VEIN = {"calf", "knee_back", "thigh_back", "thigh_inner"}
FOOT = {"ankle", "heel", "foot_top", "foot_sole", "midfoot", "forefoot"}
KNEE = {"knee_front", "knee_outer", "knee_inner", "knee_back"}
BIG_MUSCLE = {"thigh_front", "thigh_back", "thigh_inner", "thigh_outer", "calf", "buttock"}
JOINT = KNEE | {"ankle", "hip_groin"}
UNANS = {None, "not_checked", "not_tried", "not_noticed", "not_said"}


def flags(r):
    loc, sc, sg = r["location"], r["screen"], r["signs"]
    p, c, h = r["pain"], r.get("checks", {}), r.get("history", {})
    t, inj = r.get("training", {}), r.get("injury")
    R = set(loc["regions"])
    sbr = loc.get("side_by_region", {})
    side = lambda reg: sbr.get(reg, loc["side"])
    both_legs = loc["side"] == "both" or any(v == "both" for v in sbr.values())
    T = lambda d, k: d.get(k) is True
    conds = set(h.get("conditions", []))
    meds = set(h.get("medications", []))
    chars = set(p.get("character", []))
    sess = set(t.get("session", []))
    onset = p["onset"]
    age = r.get("age_years")

    injury_event = (onset == "sudden_during_run" and T(c, "pop_or_kicked")) or T(h, "fall_or_blow") or \
        (inj is not None and inj.get("mechanism") not in (None, "none"))
    injury_asked = inj is not None
    cr = h.get("clot_risks")
    clot_risk = bool(cr and set(cr) - {"family_history_clot"}) or h.get("pregnancy") in ("pregnant", "up_to_12_weeks_after_birth")
    ex_cause = onset in ("sudden_during_run", "during_run_gradually", "gradual_over_weeks") or (
        onset in ("after_run_same_day", "next_day") and (
            sess & {"race", "speed_work", "long_run", "downhill_or_trail", "marathon_or_longer", "new_or_unaccustomed_exercise"}
            or (t.get("longest_run_spike_pct") or 0) > 10 or (t.get("break_weeks") or 0) >= 2))
    nct = not injury_event and not ex_cause
    rhabdo_session = bool(sess & {"marathon_or_longer", "new_or_unaccustomed_exercise", "downhill_or_trail"}) or \
        T(t, "hot_or_humid") or (t.get("longest_run_spike_pct") or 0) >= 100
    exertional_only = p.get("pattern") == "starts_at_predictable_point_eases_after_stopping" and not T(p, "at_rest")
    wk = sc["weakness"]
    rad = T(c, "radiates_from_back")
    neuro_both = both_legs and not exertional_only and (
        T(sc, "numbness_tingling") or wk == "foot_drop" or (wk == "general_leg_weakness" and (rad or "shooting" in chars)))
    sciatica_both = rad and both_legs and not exertional_only
    weak_both = both_legs and not exertional_only and (
        wk == "foot_drop" or (wk == "general_leg_weakness" and (rad or "shooting" in chars)))
    red_s = h.get("menstrual") == "absent_3_months_or_more" or bool(
        conds & {"eating_disorder_now_or_past", "previous_stress_fracture", "osteoporosis_or_low_bone_density"}) or T(h, "weight_loss_unintended")
    ten = c.get("tenderness")
    hop = c.get("can_hop")
    bone_pain = bool(R & BONY) and (ten in ("focal_spot_on_bone", "diffuse_along_bone") or hop in ("painful", "unable")
                                     or onset == "gradual_over_weeks" or T(p, "at_night") or T(p, "night_pain_unremitting"))
    swelling = sg["swelling"]
    one_side_dv = any(side(x) != "both" for x in R & DEEP_VEIN)
    cw = sc["can_walk"]
    sites = inj.get("bone_tender_sites") if inj else None

    F = {}
    if T(sc, "chest_pain_or_breathless"): F["chest_symptoms"] = "emergency"
    if sc["urine"] in ("dark_cola", "little_or_none"): F["dark_or_scant_urine"] = "emergency"
    if T(sc, "vomiting_or_confusion"): F["confusion_or_vomiting"] = "emergency"
    if R & (LOWER_LEG | THIGH):
        rock = T(c, "muscle_rock_hard")
        nf = T(sc, "numbness_tingling") or wk == "foot_drop"
        pss_q = c.get("passive_stretch_pain") is not False  # true or unanswered
        A = rock and (T(p, "at_rest") or p.get("trend") == "worse") and (nf or pss_q)
        B = rock and T(p, "at_rest") and p["score"] >= 7
        C = T(c, "passive_stretch_pain") and T(p, "at_rest") and nf
        if A or B or C: F["compartment_signs"] = "emergency"
        elif rock and (T(p, "at_rest") or p.get("trend") == "worse"): F["compartment_signs"] = "urgent"
    if T(c, "foot_cold_or_pale") and T(p, "at_rest"): F["cold_pale_foot"] = "emergency"
    if T(c, "saddle_or_bladder_change") or sciatica_both or (weak_both and p.get("trend") == "worse"):
        F["cauda_equina_signs"] = "emergency"
    elif neuro_both or (rad and (T(sc, "numbness_tingling") or wk != "none") and "saddle_or_bladder_change" not in c):
        F["cauda_equina_signs"] = "urgent"
    if "sickle_cell_trait" in conds and (T(sc, "vomiting_or_confusion") or (
            onset in ("sudden_during_run", "during_run_gradually") and (
                cw in ("few_steps_only", "not_at_all") or wk == "general_leg_weakness" or
                ("cramping" in chars and (p["score"] >= 7 or wk != "none"))))):
        F["exertional_sickling_signs"] = "emergency"
    spread_u = T(sg, "redness") and T(sg, "warmth") and (T(sc, "fever") or T(c, "redness_spreading"))
    if spread_u:
        if R & FOOT and conds & {"diabetes", "peripheral_neuropathy"} and T(sc, "fever"):
            F["spreading_infection_signs"] = "emergency"
        else:
            F["spreading_infection_signs"] = "urgent"
    dA = (swelling in ("whole_calf", "whole_leg") or T(sg, "calf_bigger_than_other")) and not injury_event
    dB = one_side_dv and bool(cr) and (swelling != "none" or T(sg, "warmth") or T(p, "at_rest") or T(p, "at_night"))
    dC = one_side_dv and clot_risk and (p.get("trend") == "worse" or nct)
    dD = one_side_dv and nct and cr is None and h.get("pregnancy") in (None, "not_said") and (
        T(p, "at_rest") or T(p, "at_night") or chars & {"throbbing", "cramping"})
    dE = sg.get("lump") == "tender_cord_along_vein"
    if dA or dB or dC or dD or dE: F["suspected_dvt"] = "urgent"
    if R & JOINT and swelling != "none" and T(sg, "warmth") and (T(sc, "fever") or T(sg, "redness")) and not injury_event:
        F["hot_swollen_joint"] = "urgent"
    if cw in ("few_steps_only", "not_at_all"): F["unable_to_bear_weight"] = "urgent"
    if R & {"achilles", "calf", "heel", "ankle"} and ((T(c, "pop_or_kicked") and (T(c, "cannot_tiptoe") or wk == "weak_push_off"))
                                                       or sg.get("lump") == "gap_or_dent_in_tendon"):
        F["tendon_rupture_signs"] = "urgent"
    if ("shin_front" in R and ten == "focal_spot_on_bone") or ("midfoot" in R and ten == "focal_spot_on_bone") or (
            "hip_groin" in R and (hop in ("painful", "unable") or T(p, "at_night") or T(p, "night_pain_unremitting"))) or (
            "hip_groin" in R and onset == "gradual_over_weeks" and hop in UNANS and (cw != "normally" or p.get("trend") == "worse")):
        F["high_risk_bone_site"] = "urgent"
    if R & FOOT:
        if (injury_event or injury_asked) and (
                (inj or {}).get("bear_weight_4_steps") == "no" or cw in ("few_steps_only", "not_at_all") or
                set(sites or []) & {"outer_ankle_bone_back_edge", "inner_ankle_bone_back_edge", "base_of_fifth_metatarsal", "navicular"}):
            F["ottawa_ankle_foot"] = "urgent"
        elif injury_asked and (sites is None or "not_checked" in sites):
            F["ottawa_ankle_foot"] = "see_clinician"
    if R & KNEE:
        if (injury_event or injury_asked) and (
                (age is not None and age >= 55) or set(sites or []) & {"kneecap", "head_of_fibula"} or
                (inj or {}).get("knee_bends_to_90") == "no" or (inj or {}).get("bear_weight_4_steps") == "no" or
                cw in ("few_steps_only", "not_at_all")):
            F["ottawa_knee"] = "urgent"
        elif injury_asked and (sites is None or "not_checked" in sites or inj.get("knee_bends_to_90") in (None, "not_tried")):
            F["ottawa_knee"] = "see_clinician"
        if injury_event or injury_asked:
            i = inj or {}
            if i.get("swelling_within_2h") is True or ("swelling_within_2h" not in i and swelling != "none") or (
                    i.get("gave_way") is True and (i.get("mechanism") in ("twist_or_pivot", "landing_from_jump", "fall", "direct_blow") or T(c, "pop_or_kicked"))):
                F["knee_haemarthrosis_or_instability"] = "urgent"
    if inj and inj.get("cannot_straighten_now") is True: F["locked_knee"] = "urgent"
    elif inj and inj.get("locking") is True: F["locked_knee"] = "see_clinician"
    if wk == "foot_drop" and "compartment_signs" not in F: F["new_foot_drop_or_weakness"] = "urgent"
    if sc["urine"] in ("normal", "dark_yellow", "not_noticed") and p["hours_since_run"] <= 72 and rhabdo_session and R & BIG_MUSCLE \
            and not injury_event and ((T(p, "at_rest") and (p["score"] >= 8 or p.get("trend") == "worse")) or wk == "general_leg_weakness" or swelling != "none"):
        F["possible_rhabdomyolysis"] = "urgent"
    if "fluoroquinolone" in meds and ("achilles" in R or ten == "in_tendon" or sg.get("lump") == "gap_or_dent_in_tendon"):
        F["fluoroquinolone_tendon"] = "urgent"
    if "statin" in meds and (R & BIG_MUSCLE or ten == "in_muscle") and not injury_event and (
            wk == "general_leg_weakness" or (p.get("trend") == "worse" and (nct or p["hours_since_run"] > 72)) or
            (both_legs and onset in ("gradual_over_weeks", "unrelated_to_running"))):
        F["statin_muscle_symptoms"] = "urgent"
    if conds & {"diabetes", "peripheral_neuropathy"} and R & FOOT and (T(sg, "warmth") or T(sg, "redness") or swelling != "none"):
        F["charcot_foot_signs"] = "urgent"
    if (T(p, "night_pain_unremitting") or (sg.get("lump") == "hard_tender_lump" and bone_pain) or
            (ten in ("focal_spot_on_bone", "diffuse_along_bone") and T(sc, "fever"))) and (
            (age is not None and age < 18) or T(h, "weight_loss_unintended") or T(sc, "fever")):
        F["unexplained_bone_pain"] = "urgent"
    if age is not None and 9 <= age <= 16 and (cw != "normally" or p.get("trend") == "worse") and (
            R & {"hip_groin", "thigh_front", "thigh_inner"} or (
                R & KNEE and ten not in ("in_tendon", "focal_spot_on_bone") and sg.get("lump") != "hard_tender_lump")):
        F["possible_scfe"] = "urgent"
    if R & BONY and (ten == "focal_spot_on_bone" or hop in ("painful", "unable") or (T(p, "at_night") and onset == "gradual_over_weeks")
                     or T(p, "night_pain_unremitting")):
        F["bony_stress_signs"] = "see_clinician"
    if red_s and bone_pain: F["reds_bone_risk"] = "see_clinician"
    if (p.get("pattern") == "starts_at_predictable_point_eases_after_stopping" and not T(p, "at_rest") and
            (T(sc, "numbness_tingling") or T(c, "foot_cold_or_pale"))) or \
            "walking_a_set_distance_eased_by_standing_still" in p.get("worse_with", []):
        F["exertional_neurovascular_pattern"] = "see_clinician"
    d, tr = p["days_with_symptoms"], p.get("trend")
    if (tr == "worse" and d >= 3) or (d >= 14 and tr != "better") or (onset in ("next_day", "after_run_same_day") and d >= 7 and tr != "better"):
        F["not_improving"] = "see_clinician"
    return F


def problems(v):
    r, gold = v["report"], v["gold"]
    fired, level = flags(r), LEVELS.index(gold["triage"])
    out = []
    missing = sorted(set(gold["must_flag"]) - set(fired))
    if missing:
        out.append(f"must_flag {missing} does not fire under section 2")
    floor = max((LEVEL[l] for l in fired.values()), default=0)
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
