"""Text descriptions in the in2IN style: paraphrase templates whose words match the generated parameters.

Every action has five or more templates; the last fifth of each list (at least one) is *heldout*: it is never
used for train/val/test clips, only for the heldout split and for mixing prompts.
"""
from __future__ import annotations

import re

import numpy as np

from .params import Params

SUBJECTS = ("a person", "someone", "the person")
SPEED_WORDS = {
    "slow": ("slowly", "slowly", "at a slow pace", "unhurriedly"),
    "normal": ("", "", "", "at a normal pace"),
    "fast": ("quickly", "fast", "rapidly", "at a fast pace"),
}
TIMES = {1: "once", 2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times",
         7: "seven times", 8: "eight times", 9: "nine times", 10: "ten times"}
COUNT = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}

# Placeholders: {subj} {speed} {side} {other} (opposite side) {hand} ("left hand"/"both hands") {arm} {dir}
# {times} ("twice") {count} ("three") {counted} ("one squat", "three squats") {lean} {defends} {defended}
INDIVIDUAL: dict[str, tuple[str, ...]] = {
    "walk_forward": ("{subj} walks forward {speed}", "{subj} is walking {speed} straight ahead",
                     "{subj} takes several steps forward {speed}", "{subj} walks {speed} in a straight line",
                     "{subj} moves ahead on foot {speed}"),
    "walk_backward": ("{subj} walks backward {speed}", "{subj} is stepping backwards {speed}",
                      "{subj} moves back {speed} one step after another", "{subj} walks {speed} in reverse",
                      "{subj} retreats {speed} walking backwards"),
    "walk_sideways": ("{subj} walks sideways to the {dir} {speed}", "{subj} side-steps {speed} towards the {dir}",
                      "{subj} shuffles {speed} to the {dir}", "{subj} moves sideways to their {dir} {speed}",
                      "{subj} steps sideways {speed}, heading {dir}"),
    "walk_circle": ("{subj} walks in a {dir} circle {speed}", "{subj} walks {speed} around in a circle, {dir}",
                    "{subj} is circling {dir} on foot {speed}", "{subj} walks {speed} along a circle going {dir}",
                    "{subj} paces around a circle {dir} {speed}"),
    "run": ("{subj} runs forward {speed}", "{subj} is running {speed} ahead", "{subj} sprints forward {speed}",
            "{subj} runs {speed} in a straight line", "{subj} breaks into a run {speed}"),
    "jog_in_place": ("{subj} jogs in place {speed}", "{subj} is jogging on the spot {speed}",
                     "{subj} runs in place {speed}", "{subj} jogs {speed} without moving forward",
                     "{subj} does stationary jogging {speed}"),
    "limp": ("{subj} is limping on the {side} leg", "{subj} walks forward with a limp, favouring the {side} leg",
             "{subj} limps forward because the {side} leg hurts", "{subj} walks unevenly, sparing the {side} leg",
             "{subj} hobbles along on an injured {side} leg"),
    "turn_around": ("{subj} turns around to the {dir} {speed}", "{subj} turns back {speed}, rotating to the {dir}",
                    "{subj} does a half turn to the {dir} {speed}", "{subj} turns {speed} to face the other way, turning {dir}",
                    "{subj} spins round to the {dir} {speed} to look behind"),
    "spin": ("{subj} spins around to the {dir} {times}", "{subj} twirls {times} towards the {dir}",
             "{subj} does {counted} to the {dir} {speed}", "{subj} spins {speed} to the {dir}, {times}",
             "{subj} rotates all the way round {times}, turning {dir}"),
    "jump": ("{subj} jumps {dir} {times}", "{subj} jumps {dir} with both feet {times}",
             "{subj} does {counted} {dir} {speed}", "{subj} leaps {dir} {times} {speed}",
             "{subj} hops {dir} on both feet {times}"),
    "hop": ("{subj} hops on the {side} leg {times}", "{subj} is hopping on the {side} foot {speed}",
            "{subj} balances on the {side} leg and hops {times}", "{subj} hops {count} times on one leg, the {side} one",
            "{subj} lifts the {other} foot and hops on the {side} foot {times}"),
    "squat": ("{subj} squats down {times}", "{subj} does {counted} {speed}",
              "{subj} bends the knees and squats {times} {speed}", "{subj} performs squats {speed}, {times}",
              "{subj} lowers into a squat and stands back up {times}"),
    "crouch": ("{subj} crouches down and stays low", "{subj} crouches and looks around",
               "{subj} gets down into a crouch {speed}", "{subj} crouches low for a while, then gets up",
               "{subj} ducks down into a crouching position"),
    "sit_down": ("{subj} sits down on the floor", "{subj} sits down on the ground {speed}",
                 "{subj} lowers themselves to sit on the floor {speed}", "{subj} takes a seat on the floor",
                 "{subj} gets down and sits on the ground"),
    "stand_up": ("{subj} stands up from the floor", "{subj} gets up from sitting on the ground {speed}",
                 "{subj} rises to their feet {speed}", "{subj} pushes off the floor and stands up",
                 "{subj} was sitting on the ground and gets up"),
    "bow": ("{subj} bows {times}", "{subj} bows forward {speed}, {times}", "{subj} bends at the waist to bow {times}",
            "{subj} takes a bow {speed}", "{subj} bows politely {times}"),
    "kick": ("{subj} kicks with the {side} leg {times}", "{subj} kicks forward with the {side} foot {speed}",
             "{subj} does {counted} with the {side} leg", "{subj} kicks {times} {speed} using the {side} leg",
             "{subj} raises the {side} knee and kicks out {times}"),
    "dance": ("{subj} dances {speed}", "{subj} sways from side to side to a beat", "{subj} is dancing {speed} on the spot",
              "{subj} grooves {speed}, stepping side to side", "{subj} dances happily, swaying the hips"),
    "wave": ("{subj} waves with the {hand} {times}", "{subj} waves the {hand} {speed}",
             "{subj} raises the {hand} and waves {times}", "{subj} waves hello using the {hand} {speed}",
             "{subj} lifts the {hand} and waves {speed}, {times}"),
    "walk_wave": ("{subj} walks forward while waving the {hand}", "{subj} waves with the {hand} while walking {speed}",
                  "{subj} walks {speed} and waves the {hand}", "while walking ahead, {subj} waves the {hand}",
                  "{subj} strolls forward waving the {hand} {times}"),
    "raise_arms": ("{subj} raises the {arm} above the head {times}", "{subj} lifts the {arm} up {speed}",
                   "{subj} puts the {arm} up in the air {times}", "{subj} raises the {arm} overhead {speed}",
                   "{subj} stretches the {arm} straight up {times}"),
    "clap": ("{subj} claps {times}", "{subj} claps the hands {speed}", "{subj} claps {count} times {speed}",
             "{subj} is clapping the hands together {times}", "{subj} applauds, clapping {times}"),
    "punch": ("{subj} punches with the {hand} {times}", "{subj} throws {counted} with the {hand} {speed}",
              "{subj} punches forward {speed} using the {hand}", "{subj} is boxing, punching with the {hand} {times}",
              "{subj} jabs the air with the {hand} {times}"),
    "point": ("{subj} points {dir} with the {hand}", "{subj} uses the {hand} to point {dir}",
              "{subj} extends the {side} arm and points {dir} {speed}", "{subj} points {dir} {speed} with the {side} arm",
              "{subj} lifts the {side} arm to point {dir}"),
    "throw": ("{subj} throws something with the {hand}", "{subj} throws a ball overhand with the {hand} {speed}",
              "{subj} winds up and throws with the {side} arm", "{subj} makes a throwing motion with the {side} arm {speed}",
              "{subj} hurls an object forward using the {hand}"),
    "reach": ("{subj} reaches {dir} with the {hand}", "{subj} stretches the {hand} {dir} {speed}",
              "{subj} reaches out {dir} {speed} using the {hand}", "{subj} extends the {arm} {dir} to grab something",
              "{subj} reaches {dir} for something with the {hand}"),
    "stretch": ("{subj} stretches, leaning to the {lean}", "{subj} raises both arms and bends to the {lean} {speed}",
                "{subj} does a side stretch to the {lean}", "{subj} stretches the body sideways to the {lean} {speed}",
                "{subj} reaches overhead and leans to the {lean} to stretch"),
}

NOUNS = {"spin": ("full turn", "full turns"), "jump": ("jump", "jumps"), "squat": ("squat", "squats"),
         "kick": ("front kick", "front kicks"), "punch": ("punch", "punches"), "punch_defend": ("punch", "punches")}

DIRECTION_WORDS = {
    "jump": {"up": "up", "forward": "forward"},
    "point": {"forward": "forward", "up": "up", "sideways": "to the {side}"},
    "reach": {"forward": "forward", "up": "upward", "down": "down towards the floor"},
}

# Interactions: (interaction texts, person-A texts, person-B texts); individual texts use the same placeholders.
INTERACTION: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "handshake": (
        ("two people shake hands", "two people greet each other with a handshake {speed}",
         "two people shake hands {times}", "two people shake their right hands", "two friends meet and shake hands"),
        ("{subj} reaches out the right hand and shakes the other person's hand", "{subj} offers the right hand for a handshake",
         "{subj} shakes hands with the other person {speed}", "{subj} holds out the right hand and shakes it {times}",
         "{subj} extends the right hand and greets the other person with a firm shake"),
        ("{subj} takes the hand offered and shakes it", "{subj} shakes the other person's hand with the right hand",
         "{subj} grabs the offered hand and shakes it {speed}", "{subj} returns the handshake {times}",
         "{subj} accepts the handshake with the right hand"),
    ),
    "hug": (
        ("two people hug each other", "two people embrace {speed}", "two people step in and hug",
         "two friends give each other a hug", "two people wrap their arms around each other"),
        ("{subj} hugs the other person, arms over the shoulders", "{subj} embraces the other person {speed}",
         "{subj} puts both arms around the other person's shoulders", "{subj} steps forward and hugs the other person",
         "{subj} wraps the arms around the other one's neck and shoulders"),
        ("{subj} hugs the other person around the waist", "{subj} embraces the other person, arms around the waist",
         "{subj} puts both arms around the other person's waist", "{subj} steps in and returns the hug",
         "{subj} holds the other person around the middle"),
    ),
    "high_five": (
        ("two people give each other a high five", "two people high-five {speed}", "two people slap hands high in the air",
         "two people celebrate with a high five", "two friends do a high five"),
        ("{subj} raises the {hand} and high-fives the other person", "{subj} gives a high five with the {hand}",
         "{subj} lifts the {hand} high and slaps the other person's hand", "{subj} high-fives {speed} using the {hand}",
         "{subj} holds up the {hand} for a high five"),
        ("{subj} meets the high five with the {other} hand", "{subj} slaps the raised hand with the {other} hand",
         "{subj} returns the high five using the {other} hand", "{subj} raises the {other} hand to high-five {speed}",
         "{subj} answers with a high five of the {other} hand"),
    ),
    "push": (
        ("one person pushes the other away", "one person shoves the other, who stumbles back",
         "someone pushes another person backwards {speed}", "one person pushes the other with both hands",
         "two people argue and one shoves the other"),
        ("{subj} pushes the other person with both hands", "{subj} shoves the other person away {speed}",
         "{subj} steps forward and pushes the other person in the chest", "{subj} pushes someone backwards",
         "{subj} thrusts both hands out to shove the other person"),
        ("{subj} is pushed and stumbles backwards", "{subj} staggers back after being shoved",
         "{subj} loses balance and steps back", "{subj} gets pushed in the chest and stumbles back",
         "{subj} is knocked backwards a few steps"),
    ),
    "punch_defend": (
        ("one person punches and the other {defends}", "two people spar: one throws punches, the other {defends}",
         "someone punches at another person who {defends}", "one person attacks with the {hand}, the other {defends}",
         "two people fight, punches are {defended}"),
        ("{subj} punches at the other person with the {hand} {times}", "{subj} throws {counted} with the {hand}",
         "{subj} attacks with the {hand} {speed}", "{subj} jabs at the other person's face with the {hand}",
         "{subj} swings the {hand} at the other person {times}"),
        ("{subj} {defends}", "{subj} {defends} {speed}", "{subj} protects themselves and {defends}",
         "{subj} reacts to the punches and {defends}", "{subj} avoids getting hit and {defends}"),
    ),
    "greet_wave": (
        ("two people wave at each other", "two people greet each other from a distance by waving",
         "two people wave hello to each other {speed}", "two people see each other and wave",
         "two people exchange waves from afar"),
        ("{subj} waves at the other person with the {hand}", "{subj} greets the other person by waving the {hand} {times}",
         "{subj} waves hello with the {hand} {speed}", "{subj} raises the {hand} and waves at someone",
         "{subj} waves the {hand} to the other person"),
        ("{subj} waves back", "{subj} waves back at the other person", "{subj} returns the greeting with a wave",
         "{subj} lifts a hand and waves in return", "{subj} answers by waving back"),
    ),
    "bow_each_other": (
        ("two people bow to each other", "two people face each other and bow {speed}", "two people greet each other with a bow",
         "two people exchange bows", "two people bow respectfully to one another"),
        ("{subj} bows to the other person", "{subj} bows {speed} towards the other person", "{subj} bends forward in a bow",
         "{subj} greets the other person with a bow", "{subj} bows politely to the person opposite"),
        ("{subj} bows back", "{subj} bows to the other person in return", "{subj} returns the bow {speed}",
         "{subj} bows as well", "{subj} answers with a bow"),
    ),
    "dance_together": (
        ("two people dance facing each other", "two people dance together {speed}", "two people sway to music face to face",
         "two friends dance together side to side", "a pair of people dance opposite each other"),
        ("{subj} dances in front of the other person", "{subj} sways from side to side facing a partner",
         "{subj} dances {speed} with the other person", "{subj} grooves to the music facing someone",
         "{subj} steps side to side dancing with a partner"),
        ("{subj} dances with the other person", "{subj} sways to the beat facing the partner",
         "{subj} dances {speed} opposite the other person", "{subj} joins the dance, stepping side to side",
         "{subj} moves to the music with the partner"),
    ),
    "walk_side_by_side": (
        ("two people walk side by side", "two people walk forward together {speed}", "two people stroll next to each other",
         "two friends walk together side by side", "two people walk forward shoulder to shoulder"),
        ("{subj} walks forward next to the other person", "{subj} walks {speed} beside someone",
         "{subj} walks ahead together with a companion", "{subj} walks forward alongside the other person",
         "{subj} keeps pace with the person next to them"),
        ("{subj} walks on the {side} of the other person", "{subj} walks forward beside the other person {speed}",
         "{subj} walks next to the other person, on their {side}", "{subj} walks along, keeping to the {side} side",
         "{subj} accompanies the other person walking at their {side}"),
    ),
    "chase": (
        ("one person chases the other", "one person runs after another person", "two people run, one chasing the other {speed}",
         "someone chases another person who runs away", "two people play tag, one runs after the other"),
        ("{subj} runs after the other person", "{subj} chases someone {speed}", "{subj} runs to catch the other person",
         "{subj} sprints after the person in front", "{subj} pursues the other person at a run"),
        ("{subj} runs away from the other person", "{subj} flees {speed}", "{subj} runs ahead, being chased",
         "{subj} runs off and glances back", "{subj} escapes from the person behind"),
    ),
    "pass_object": (
        ("one person hands an object to the other", "two people pass something from hand to hand",
         "one person gives something to the other {speed}", "someone hands over an item to another person",
         "one person passes a thing over to the other"),
        ("{subj} holds out something with the {hand} and gives it to the other person", "{subj} hands over an object {speed}",
         "{subj} passes something with the {hand}", "{subj} gives an item to the other person using the {hand}",
         "{subj} offers an object in the {hand}"),
        ("{subj} takes the object with the {other} hand", "{subj} receives something from the other person",
         "{subj} reaches out the {other} hand and takes the item", "{subj} accepts the object {speed}",
         "{subj} grabs what is offered with the {other} hand"),
    ),
    "circle_each_other": (
        ("two people circle each other {dir}", "two people face each other and move around in a circle",
         "two people circle {dir} around each other warily", "two fighters circle each other {speed}",
         "two people side-step around one another, going {dir}"),
        ("{subj} circles around the other person {dir}", "{subj} side-steps {dir} while facing the opponent",
         "{subj} moves around the other person in a circle {speed}", "{subj} keeps facing the other one while circling",
         "{subj} circles {dir} with fists up"),
        ("{subj} circles around the other person {dir}", "{subj} mirrors the opponent and side-steps {dir}",
         "{subj} moves in a circle facing the other person {speed}", "{subj} keeps the guard up and circles",
         "{subj} steps around the other one, going {dir}"),
    ),
    "help_up": (
        ("one person helps the other get up from the floor", "someone pulls another person up from the ground",
         "one person gives a hand to help the other stand up", "a person sitting on the floor is helped up",
         "one person lends a hand and pulls the other to their feet"),
        ("{subj} offers the {hand} and pulls the other person up", "{subj} helps someone get up from the floor",
         "{subj} bends down, takes the other person's hand and pulls", "{subj} reaches down with the {hand} to help",
         "{subj} lends a hand to the person on the ground"),
        ("{subj} takes the offered hand and gets up from the floor", "{subj} is pulled up from sitting on the ground",
         "{subj} grabs the helping hand with the {other} hand and stands up", "{subj} gets to their feet with help {speed}",
         "{subj} sitting on the ground is helped up by the other person"),
    ),
}


def heldout_count(templates: tuple[str, ...]) -> int:
    """Number of templates (at the end of the list) reserved for the heldout split: about 20%, at least one."""
    return max(1, round(0.2 * len(templates)))


def pick(templates: tuple[str, ...], rng: np.random.Generator, heldout: bool) -> str:
    """One template: from the reserved tail if ``heldout``, otherwise from the rest."""
    k = heldout_count(templates)
    pool = templates[-k:] if heldout else templates[:-k]
    return pool[int(rng.integers(len(pool)))]


def _slots(action: str, p: Params, rng: np.random.Generator) -> dict[str, str]:
    side = p.side or "right"
    other = {"left": "right", "right": "left", "both": "both"}[side]
    dir_word = p.direction or ""
    if action in DIRECTION_WORDS and p.direction:
        dir_word = DIRECTION_WORDS[action][p.direction].format(side=side)
    defend = {"block": ("blocks the punches", "blocked"), "dodge": ("dodges the punches", "dodged")}.get(p.direction or "", ("", ""))
    reps = p.reps or 1
    speed = SPEED_WORDS[p.speed]
    return {
        "subj": SUBJECTS[int(rng.integers(len(SUBJECTS)))],
        "speed": speed[int(rng.integers(len(speed)))], "side": side, "other": other,
        "hand": "both hands" if side == "both" else f"{side} hand",
        "arm": "both arms" if side == "both" else f"{side} arm",
        "lean": "left and then to the right" if side == "both" else side,
        "dir": dir_word, "times": TIMES[reps], "count": COUNT[reps],
        "counted": f"{COUNT[reps]} {NOUNS.get(action, ('', ''))[reps > 1]}",
        "defends": defend[0], "defended": defend[1],
    }


def render(template: str, action: str, p: Params, rng: np.random.Generator) -> str:
    """Fill a template with words for ``p``; tidy spaces and commas left by empty slots."""
    text = template.format(**_slots(action, p, rng))
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+,", ",", text).replace(", ,", ",")
    text = text.replace("the both ", "both ")
    return text.strip(" ,")


def individual_text(action: str, p: Params, rng: np.random.Generator, heldout: bool = False) -> str:
    return render(pick(INDIVIDUAL[action], rng, heldout), action, p, rng)


def interaction_texts(kind: str, p: Params, rng: np.random.Generator, heldout: bool = False) -> tuple[str, str, str]:
    """(interaction text, person-A text, person-B text)."""
    inter, role_a, role_b = INTERACTION[kind]
    return tuple(render(pick(t, rng, heldout), kind, p, rng) for t in (inter, role_a, role_b))  # type: ignore[return-value]
