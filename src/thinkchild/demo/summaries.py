"""Short, invented incident summaries by type: enough to read like a log, no real events."""

SUMMARIES = {
    "domestic_abuse": (
        "Verbal argument between partners reported by a neighbour; raised voices and banging.",
        "Victim reports being pushed during an argument over money. Children in the house.",
        "Ex-partner attended the address in breach of a non-molestation order.",
        "Threats made by text and in person; victim frightened to stay at the address.",
        "Third-party report of screaming from the address; both parties spoken to.",
    ),
    "concern_for_child": (
        "School raised concern about unexplained bruising and poor attendance.",
        "Caller worried that young children were left alone at the address overnight.",
        "Child found wandering near the main road late in the evening, returned home.",
        "Health visitor unable to gain access; concern for the welfare of an infant.",
    ),
    "missing_person": (
        "Reported missing by parent after not returning from school.",
        "Left the house after an argument and has not returned; phone switched off.",
        "Missing overnight, found the next morning at a friend's address.",
        "Believed to be with older associates in the town centre; returned by officers.",
    ),
    "neglect": (
        "Address found in a poor state with little food; children unkempt.",
        "Young children seen unsupervised in the street on several evenings.",
    ),
    "physical_abuse": (
        "Child disclosed to a teacher being hit by an adult at home.",
        "Injury to a child with an account that does not match the injury.",
    ),
    "cse": (
        "Concern that a child is receiving gifts and lifts from older men.",
        "Child found in a car with an adult not known to the family late at night.",
    ),
    "online_abuse": (
        "Parent found sexualised messages from an unknown adult on a child's phone.",
        "Child pressured online to send images; account details passed to officers.",
    ),
    "sexual_offence": (
        "Disclosure of a sexual assault made to a school safeguarding lead.",
        "Report of indecent exposure near a play area.",
    ),
    "criminal_exploitation": (
        "Child found carrying cash and two phones far from home; county lines suspected.",
        "Concern that a child is being used to carry drugs between towns.",
    ),
    "antisocial_behaviour": (
        "Group of youths throwing stones at passing cars.",
        "Repeated noise and intimidation of neighbours reported.",
        "Youths gathering and drinking in the park after dark.",
    ),
    "assault": (
        "Fight outside licensed premises; one male with facial injuries.",
        "Victim punched during a dispute with a neighbour.",
    ),
    "theft": (
        "Shoplifting reported by store security; goods recovered.",
        "Bicycle stolen from a front garden overnight.",
        "Purse taken from a handbag in a cafe.",
    ),
    "public_order": (
        "Abusive and threatening behaviour towards staff at a takeaway.",
        "Disturbance in the street involving several adults.",
    ),
    "mental_health": (
        "Concern for the welfare of an adult in crisis; mental health team informed.",
        "Person expressing thoughts of self-harm; taken to a place of safety.",
    ),
}
