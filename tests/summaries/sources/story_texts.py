"""Three sources' rewrites of one wire report, and a different report on the same topic."""

from __future__ import annotations

WIRE = [
    "The regional council of Nordhavn voted late on Tuesday to spend 40 million euros on "
    "two electric ferries that will replace the ageing diesel boats on the harbour crossing "
    "by the summer of 2028.",
    "Council leader Marta Berg said the vote ended three years of argument over the cost of "
    "the crossing, which carries about 9,000 passengers a day between the old town and the "
    "northern islands.",
    "The new ferries will be built at the Solvik yard and will charge their batteries at both "
    "piers during the eight-minute stops, according to the plan approved by 31 votes to 12.",
    "Opponents said the money would be better spent on a bridge, and residents of the islands "
    "asked for a night service, which the council promised to study before the end of the year.",
    "The diesel ferries, in service since 1994, broke down 27 times last year, forcing "
    "passengers onto a slow replacement bus that takes more than an hour.",
]

# Each outlet edits the wire copy its own way: a new lead, a dropped or added paragraph,
# a few words changed.
REWRITES = [
    WIRE,
    ["Nordhavn will get two electric ferries: the regional council voted late on Tuesday to "
     "spend 40 million euros on boats that will replace the ageing diesel ferries on the "
     "harbour crossing by the summer of 2028."] + WIRE[1:4],
    [WIRE[0], "Council leader Marta Berg said the vote ended three years of argument over the "
     "cost of the crossing, which carries about 9,000 people every day between the old town "
     "and the northern islands.", WIRE[2], WIRE[4],
     "\"It is the biggest investment in the harbour for a generation,\" Berg told reporters "
     "after the meeting."],
]

UNRELATED = [
    "Ferry crews on the Nordhavn harbour crossing will strike for 24 hours on Friday after "
    "talks on pay and rest breaks failed, the seafarers' union said on Wednesday.",
    "The union said its members had worked without a contract since March and that the "
    "operator had refused to discuss shorter shifts on the crossing.",
    "The operator said it regretted the strike and would run a replacement bus between the "
    "old town and the islands, where many residents rely on the ferry to reach work.",
    "Passengers were advised to allow extra time and to check the operator's website, since "
    "further stoppages were possible later in the month.",
    "It is the first strike on the crossing in eleven years; the last one, in 2015, lasted "
    "three days and ended with a two-year agreement on overtime and holidays.",
]
