"""Coalition partners of an appeal and the sign form they embed on their own sites."""
