// The word groups the layout tests (t-SNE, UMAP) check clustering on.
// Obvious groups, every word checked to be in the 50k table (ambiguous
// words such as "orange" kept in one group only).
export const GROUPS = {
  numbers:
    'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion',
  countries:
    'france germany italy spain portugal poland sweden norway finland denmark netherlands belgium austria switzerland greece turkey russia ukraine china japan india pakistan indonesia vietnam thailand egypt nigeria kenya brazil argentina chile peru mexico canada australia',
  animals:
    'dog cat horse cow pig sheep goat rabbit mouse rat deer wolf fox bear lion tiger elephant giraffe zebra monkey gorilla camel donkey squirrel hamster kangaroo leopard cheetah rhinoceros otter beaver raccoon hedgehog moose',
  colours: 'red blue green yellow purple pink brown gray grey violet crimson scarlet turquoise beige maroon magenta indigo lavender teal',
  months:
    'january february march april june july august september october november december monday tuesday wednesday thursday friday saturday sunday',
  family:
    'mother father sister brother son daughter aunt uncle cousin grandmother grandfather wife husband niece nephew grandson granddaughter stepmother stepfather mom dad grandparents parents siblings',
  body: 'arm leg foot finger toe knee elbow shoulder neck chest stomach ear eye nose mouth lip tongue tooth teeth chin cheek forehead wrist ankle hip thumb spine',
  sports:
    'football soccer basketball baseball tennis golf hockey rugby cricket volleyball swimming cycling boxing wrestling skiing rowing badminton softball lacrosse handball snowboarding fencing archery gymnastics',
  fruits:
    'apple banana orange grape lemon lime cherry strawberry peach pear plum mango pineapple watermelon melon apricot raspberry blueberry coconut kiwi papaya fig pomegranate grapefruit avocado cranberry',
  elements:
    'hydrogen helium lithium carbon nitrogen oxygen neon sodium magnesium aluminum silicon phosphorus sulfur chlorine potassium calcium iron copper zinc silver platinum uranium titanium nickel cobalt',
};
export const words = [];
export const group = [];
for (const [name, text] of Object.entries(GROUPS)) {
  for (const w of text.split(' ')) {
    words.push(w);
    group.push(name);
  }
}
