"""Text descriptions in the in2IN style: paraphrase templates whose words match the generated parameters.

Every action has five or more templates; the last fifth of each list (at least one) is *heldout*: it is never
used for train/val/test clips, only for the heldout split and for mixing prompts. ``INDIVIDUAL_MORE`` and
``INTERACTION_MORE`` add wordings to the train/val/test pool only.
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


# More training wordings per action. Users word actions in ways the four training templates never used (other
# verbs, "a man", "his left leg", "is jumping"); these only widen the training pool: the held-out tail of
# INDIVIDUAL stays the same, so the heldout split is unchanged.
INDIVIDUAL_MORE: dict[str, tuple[str, ...]] = {
    "walk_forward": ("a man walks straight forward {speed}", "{subj} is walking forward {speed}",
                     "{subj} strides ahead {speed}", "a woman walks forward a few steps {speed}",
                     "{subj} walks forward {speed} and keeps going straight"),
    "walk_backward": ("a man walks backwards {speed}", "{subj} is walking backward {speed}",
                      "{subj} steps back {speed} several times", "a woman backs up {speed}, stepping backward",
                      "{subj} takes a few steps backward {speed}"),
    "walk_sideways": ("a man walks sideways to his {dir} {speed}", "{subj} is side-stepping to the {dir} {speed}",
                      "{subj} moves {speed} to the {dir} with side steps", "a woman sidesteps {speed} towards her {dir}",
                      "{subj} moves sideways {speed} to the {dir}, still facing forward"),
    "walk_circle": ("a man walks around in a circle {dir} {speed}", "{subj} walks a {dir} circle {speed}",
                    "{subj} walks {speed} in a circle, turning {dir}", "a woman is walking {speed} in a loop, going {dir}",
                    "{subj} circles around {dir} while walking {speed}"),
    "run": ("a man runs straight ahead {speed}", "{subj} is running forward {speed}", "{subj} runs ahead {speed}",
            "a woman runs forward {speed} with bent arms", "{subj} is running {speed} in one direction"),
    "jog_in_place": ("a man jogs on the spot {speed}", "{subj} is jogging in place {speed}", "{subj} runs on the spot {speed}",
                     "a woman jogs {speed} in one place", "{subj} jogs {speed}, staying in the same spot"),
    "limp": ("a man limps forward on his sore {side} leg", "{subj} walks with a limp on the {side} leg",
             "{subj} limps along, putting little weight on the {side} leg", "a woman walks with a limp, her {side} leg in pain",
             "{subj} is limping forward with a sore {side} leg"),
    "turn_around": ("a man turns around {speed} to his {dir}", "{subj} is turning around to the {dir} {speed}",
                    "a woman turns {speed} to her {dir} until she faces the opposite direction",
                    "{subj} makes a half turn {speed} towards the {dir}", "{subj} turns {dir} {speed} and ends up facing backwards"),
    "spin": ("a man spins {times} to his {dir}", "{subj} is spinning to the {dir} {speed}, {times}",
             "{subj} makes {counted} to the {dir} {speed}", "a woman twirls around to the {dir} {times} {speed}",
             "{subj} spins in place {times} towards the {dir}"),
    "jump": ("a man jumps {dir} {times} with his feet together", "{subj} is jumping {dir} {speed}, {times}",
             "{subj} performs {counted} {dir} {speed}", "a woman jumps {dir} {times} {speed} and lands with feet together",
             "{subj} springs {dir} off both feet {times}"),
    "hop": ("a man hops {times} on his {side} leg", "{subj} is hopping on the {side} leg {times}",
            "{subj} does {count} hops on the {side} foot {speed}", "a woman hops on her {side} foot {speed}, {times}",
            "{subj} jumps on the {side} leg only, {count} times in a row"),
    "squat": ("a man squats {times} {speed}", "{subj} goes down into a squat {times} {speed}", "{subj} completes {counted} {speed}",
              "a woman does {counted}, keeping her arms out in front", "{subj} squats {times} with the arms held forward"),
    "crouch": ("a man crouches down low {speed}", "{subj} gets into a low crouch {speed} and glances around",
               "a woman crouches with her hands near her knees, then stands up", "{subj} is crouching low and looking around",
               "{subj} goes down {speed} into a crouch, holds it, then stands up"),
    "sit_down": ("a man sits down on the floor {speed}", "{subj} is sitting down on the floor {speed}",
                 "{subj} sits down {speed} on the floor with the knees up",
                 "a woman sits down on the ground, leaning back on her hands",
                 "{subj} goes from standing to sitting on the floor {speed}"),
    "stand_up": ("a man stands up from the ground {speed}", "{subj} gets to their feet from the floor {speed}",
                 "{subj} is getting up off the floor {speed}", "a woman gets up from the floor, pushing with her hands",
                 "{subj} goes from sitting on the floor to standing {speed}"),
    "bow": ("a man bows {times} {speed}", "{subj} bows {times}, bending forward from the hips",
            "{subj} is bowing {speed}, {times}", "a woman bows her upper body forward {times}", "{subj} bows down {times} {speed}"),
    "kick": ("a man kicks {times} with his {side} leg", "{subj} does a front kick with the {side} foot {times}",
             "{subj} is kicking forward with the {side} leg {speed}", "a woman throws {counted} with her {side} foot {speed}",
             "{subj} snaps the {side} foot forward in a kick {times}"),
    "dance": ("a man dances {speed} in place", "{subj} is dancing to the music {speed}",
              "{subj} steps from side to side to the beat {speed}", "a woman dances {speed}, swinging her arms",
              "{subj} does a simple dance {speed}, bobbing the head"),
    "wave": ("a man waves the {hand} {times}", "{subj} is waving with the {hand} {speed}",
             "{subj} waves {times} {speed} with the {hand}", "a woman says hello by waving the {hand} {times}",
             "{subj} waves the {hand} side to side {times}"),
    "walk_wave": ("a man walks ahead and waves his {hand}", "{subj} is walking forward {speed}, waving with the {hand}",
                  "{subj} waves the {hand} {times} as they walk forward", "a woman waves with her {hand} while she walks {speed}",
                  "{subj} keeps walking and waves the {hand} {times}"),
    "raise_arms": ("a man raises the {arm} up high {times}", "{subj} is raising the {arm} over the head {speed}",
                   "{subj} holds the {arm} up above the head {times}", "a woman lifts the {arm} over her head {times} {speed}",
                   "{subj} brings the {arm} up overhead {speed}, {times}"),
    "clap": ("a man claps his hands {times}", "{subj} is clapping {speed}", "{subj} claps the hands together {count} times {speed}",
             "a woman claps her hands {speed} in front of her chest", "{subj} gives {count} claps {speed}"),
    "punch": ("a man punches forward with the {hand} {times}", "{subj} is punching with the {hand} {speed}",
              "{subj} strikes {times} with the {hand} from a boxing guard", "a woman boxes {speed}, throwing {counted} with the {hand}",
              "{subj} punches straight ahead {times} {speed} using the {hand}"),
    "point": ("a man points {dir} with his {side} hand", "{subj} is pointing {dir} with the {hand} {speed}",
              "{subj} holds the {side} arm out straight and points {dir}", "a woman points {dir} {speed}, her {side} arm outstretched",
              "{subj} points {speed} {dir} using the {hand}"),
    "throw": ("a man throws a ball with his {side} hand", "{subj} is throwing something overhand with the {hand} {speed}",
              "{subj} pitches a ball {speed} with the {hand}", "a woman throws overarm with her {side} arm",
              "{subj} draws the {side} arm back behind the head and throws {speed}"),
    "reach": ("a man makes a reaching motion {dir} with the {hand}", "{subj} is reaching {dir} with the {hand} {speed}",
              "{subj} stretches out the {arm} {dir}", "a woman extends the {hand} {dir} {speed}",
              "{subj} reaches {dir} {speed} with the {arm} and then relaxes"),
    "stretch": ("a man stretches his arms up and bends to the {lean}", "{subj} is doing a side stretch to the {lean} {speed}",
                "{subj} bends sideways to the {lean} with both arms overhead", "a woman stretches {speed}, bending her body to the {lean}",
                "{subj} raises the arms and tilts the upper body to the {lean}"),
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


# More training wordings per interaction (interaction text, person-A text, person-B text). They only widen the
# training pool: the held-out tail of INTERACTION stays the same, so the heldout split is unchanged. Users name
# the people ("a man and a woman", "two friends"), use other verbs and drop the counts; a model that saw four
# wordings per kind missed contacts and spacing on new ones (docs/evaluation.md, "Each model alone").
INTERACTION_MORE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "handshake": (
        ("a man and a woman shake hands {speed}", "two colleagues clasp right hands and shake",
         "two people meet and exchange a handshake", "the two shake hands {times} in greeting",
         "two men greet each other by shaking hands", "a person walks up to another and shakes hands"),
        ("{subj} shakes the partner's right hand {times}", "{subj} grips the other person's hand and shakes it {speed}",
         "{subj} steps up and offers a handshake"),
        ("{subj} clasps the offered right hand", "{subj} shakes hands back {speed}",
         "{subj} responds by shaking the other person's hand"),
    ),
    "hug": (
        ("two people hold each other in a tight embrace", "a man and a woman hug {speed}", "two friends hug warmly",
         "the two people hug and hold on for a moment", "two people come together in a hug", "two people share a big hug"),
        ("{subj} gives the other person a big hug", "{subj} holds the partner close with both arms",
         "{subj} hugs the partner around the shoulders {speed}"),
        ("{subj} hugs back, arms around the partner's waist", "{subj} is hugged and hugs back",
         "{subj} holds the partner at the waist in a hug"),
    ),
    "high_five": (
        ("a man and a woman high-five {speed}", "two teammates slap a high five",
         "two people raise their hands and clap them together overhead", "the two people celebrate by high-fiving",
         "two people share a high five", "two kids give each other a high five"),
        ("{subj} slaps a high five with the {hand}", "{subj} reaches up with the {hand} to high-five the partner",
         "{subj} offers a high five {speed}"),
        ("{subj} high-fives back with the {other} hand", "{subj} slaps the partner's raised hand",
         "{subj} claps the {other} hand against the partner's"),
    ),
    "push": (
        ("a man pushes another man away {speed}", "one person shoves the other in the chest",
         "someone knocks another person back with a push", "a person pushes the other, who steps back",
         "one person angrily pushes the other", "a woman shoves someone backwards"),
        ("{subj} shoves the partner with both hands {speed}", "{subj} pushes the other one hard in the chest",
         "{subj} gives the other person a push"),
        ("{subj} is shoved and steps back", "{subj} gets pushed and stumbles", "{subj} falls back a few steps after a push"),
    ),
    "punch_defend": (
        ("two boxers spar, one punches and the other {defends}", "a person throws punches at someone who {defends}",
         "one person jabs at the other, who {defends}", "two people box and the punches are {defended}",
         "someone attacks with punches and the partner {defends}", "a man punches at another man who {defends}"),
        ("{subj} throws punches at the partner with the {hand}", "{subj} boxes at the other person {times}",
         "{subj} punches {speed} with the {hand}"),
        ("{subj} stays on guard and {defends}", "{subj} guards against the attack and {defends}",
         "{subj} is attacked and {defends}"),
    ),
    "greet_wave": (
        ("two people say hello by waving", "a man and a woman wave to each other {speed}",
         "two friends spot each other and wave", "two people greet each other with a wave of the hand",
         "two people wave hi at each other", "two people across the room wave to each other"),
        ("{subj} waves to the partner with the {hand} {times}", "{subj} says hi by waving the {hand}",
         "{subj} greets the other one with a wave {speed}"),
        ("{subj} waves back at the partner", "{subj} raises a hand and waves back", "{subj} returns the wave {speed}"),
    ),
    "bow_each_other": (
        ("two people bow towards each other {speed}", "a man and a woman bow to each other",
         "two people bend forward in a bow facing each other", "the two people greet with a bow",
         "two people take a bow to each other", "two martial artists bow before the match"),
        ("{subj} bows to the partner", "{subj} bends forward and bows {speed}", "{subj} makes a bow facing the other person"),
        ("{subj} bows in return", "{subj} returns the greeting with a bow", "{subj} bends forward and bows back"),
    ),
    "dance_together": (
        ("two people dance with each other {speed}", "a man and a woman dance face to face",
         "two people move to the music together", "the couple dances {speed}",
         "two people sway and dance facing each other", "two partners dance side to side"),
        ("{subj} dances facing the partner {speed}", "{subj} moves to the rhythm with the partner",
         "{subj} sways side to side with the other person"),
        ("{subj} dances along with the partner", "{subj} follows the partner's dance {speed}",
         "{subj} sways with the other person"),
    ),
    "walk_side_by_side": (
        ("two people walk next to each other {speed}", "a man and a woman walk together",
         "two people take a walk side by side", "the two walk along together {speed}",
         "two colleagues walk forward beside each other", "two people walk in the same direction next to each other"),
        ("{subj} walks beside the partner", "{subj} walks together with the other person {speed}",
         "{subj} walks next to a friend"),
        ("{subj} walks at the partner's {side}", "{subj} walks beside the other person on the {side}",
         "{subj} keeps walking on the {side} of the partner"),
    ),
    "chase": (
        ("one person runs after the other {speed}", "a man chases another man", "someone is chased by another person",
         "two people run, one pursuing the other", "a kid chases a friend around", "one person tries to catch the other"),
        ("{subj} chases the other person {speed}", "{subj} runs after the partner to catch them",
         "{subj} follows the fleeing person at a run"),
        ("{subj} runs away {speed}", "{subj} is chased and runs off", "{subj} runs from the chaser"),
    ),
    "pass_object": (
        ("one person gives an object to the other", "a man hands something to a woman {speed}",
         "someone passes an item to the other person", "two people hand over an object",
         "one person holds out a thing and the other takes it", "a person gives the other something"),
        ("{subj} hands the object over with the {hand}", "{subj} gives something to the partner {speed}",
         "{subj} holds out an item with the {hand}"),
        ("{subj} takes the item with the {other} hand", "{subj} takes what the partner hands over",
         "{subj} reaches for the object {speed}"),
    ),
    "circle_each_other": (
        ("two people circle around each other {dir}", "two boxers circle each other {speed}",
         "two people move in a circle facing each other", "the two circle {dir}, keeping their eyes on each other",
         "two opponents circle each other {dir}", "two people walk around each other in a circle"),
        ("{subj} circles the opponent {dir}", "{subj} moves around the partner {speed}, facing them",
         "{subj} circles {dir} facing the other person"),
        ("{subj} circles {dir} facing the opponent", "{subj} moves around in a circle with the partner",
         "{subj} keeps facing the opponent and circles {dir}"),
    ),
    "help_up": (
        ("one person helps the other stand up", "a man pulls a woman up from the floor",
         "someone helps a person on the ground get up", "one person offers a hand and helps the other up",
         "a person on the floor is pulled up by another", "one person pulls the other off the ground"),
        ("{subj} pulls the other person up with the {hand}", "{subj} helps the partner up from the floor",
         "{subj} grabs the partner's hand and pulls them up"),
        ("{subj} gets up from the floor with help", "{subj} is helped up by the partner",
         "{subj} takes the hand and stands up {speed}"),
    ),
}


def heldout_count(templates: tuple[str, ...]) -> int:
    """Number of templates (at the end of the list) reserved for the heldout split: about 20%, at least one."""
    return max(1, round(0.2 * len(templates)))


def pick(templates: tuple[str, ...], rng: np.random.Generator, heldout: bool, more: tuple[str, ...] = ()) -> str:
    """One template: from the reserved tail if ``heldout``, otherwise from the rest and ``more``."""
    k = heldout_count(templates)
    pool = templates[-k:] if heldout else templates[:-k] + more
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
    return render(pick(INDIVIDUAL[action], rng, heldout, INDIVIDUAL_MORE[action]), action, p, rng)


def interaction_texts(kind: str, p: Params, rng: np.random.Generator, heldout: bool = False) -> tuple[str, str, str]:
    """(interaction text, person-A text, person-B text)."""
    return tuple(render(pick(t, rng, heldout, more), kind, p, rng)  # type: ignore[return-value]
                 for t, more in zip(INTERACTION[kind], INTERACTION_MORE[kind]))
