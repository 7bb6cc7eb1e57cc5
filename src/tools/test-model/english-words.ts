/**
 * Common English words and word pieces for the generated test models' vocabularies (our own
 * list, roughly by frequency). Whole words make English text tokenize at about the rate of a
 * real model's tokenizer; the pieces cover words that are not in the list.
 */
export const ENGLISH_WORDS = `
the be to of and a in that have i it for not on with he as you do at this but his by from they we
say her she or an will my one all would there their what so up out if about who get which go me when
make can like time no just him know take people into year your good some could them see other than
then now look only come its over think also back after use two how our work first well way even new
want because any these give day most us is are was were been being has had did does done said says
saying made makes making went goes going gone got gets getting took takes taking came comes coming
knew knows knowing thought thinks thinking looked looks looking wanted wants used uses using gave gives
giving found find finds told tell tells telling asked ask asks asking seemed seem seems felt feel feels
feeling left leave leaves leaving called call calls calling tried try tries trying kept keep keeps
began begin begins brought bring brings held hold holds wrote write writes writing stood stand stands
heard hear hears let lets meant mean means set sets met meet meets ran run runs running paid pay
sat sit sits spoke speak speaks lay lie lies led lead leads read reads reading grew grow grows lost
lose loses fell fall falls sent send sends built build builds understood understand understands drew
draw draws broke break breaks spent spend spends cut cuts rose rise rises drove drive drives bought
buy buys wore wear wears chose choose chooses sought seek seeks threw throw throws caught catch
catches dealt deal deals won win wins fought fight fights fed feed feeds hung hang slept sleep sleeps
sold sell sells taught teach teaches forgot forget forgets forgotten remembered remember remembers
happened happen happens helped help helps talked talk talks turned turn turns started start starts
showed show shows shown moved move moves lived live lives believed believe believes loved love loves
liked likes played play plays worked works working needed need needs opened open opens closed close
closes changed change changes watched watch watches followed follow follows stopped stop stops
created create creates spoke learned learn learns added add adds walked walk walks waited wait waits
served serve serves died die dies stayed stay stays passed pass passes reached reach reaches killed
kill kills raised raise raises decided decide decides returned return returns explained explain
explains hoped hope hopes developed develop carried carry carries expected expect expects noticed
notice agreed agree agrees wondered wonder wonders worried worry worries answered answer answers
sailed sail sails sailing sailor sailors named name names thanked thank thanks thanking
very really just still also too quite rather almost already always never often sometimes usually
perhaps maybe probably certainly indeed simply exactly actually especially finally suddenly quickly
slowly easily clearly nearly hardly together again once twice ever yet soon later early today
tonight tomorrow yesterday here there where everywhere somewhere nowhere anywhere away around
about above below across against along among behind beside between beyond down during except inside
near off onto outside past since through toward towards under until upon within without
before after while though although unless whether either neither both each every few many much
more most less least several such same own other another whole half enough else instead however
therefore otherwise anyway meanwhile besides yes no not okay ok oh hi hello hey please sorry sure
well right wrong fine great good bad better best worse worst nice kind dear
i me my mine myself you your yours yourself yourselves he him his himself she her hers herself it
its itself we us our ours ourselves they them their theirs themselves this that these those who
whom whose what which when why how whatever whoever whenever wherever someone anyone everyone
nobody somebody anybody everybody something anything everything nothing
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
thousand million first second third fourth fifth last next little big small large long short high
low old young new great own few important public able bad different early hard real best free full
special easy clear recent certain personal open red blue green black white dark light strong
possible whole sure human local late major better economic social cold hot warm cool wet dry
happy sad angry afraid tired busy ready quiet loud calm rough gentle soft brave careful curious
honest simple strange true false deep wide heavy bright clean empty safe wild fair poor rich
beautiful lovely terrible awful wonderful interesting funny serious gray grey golden wise patient
steady salty weathered sharp dry wry cynical lonely weary tough kind fresh proud quick slow
man woman men women child children boy girl friend friends family mother father parent brother
sister son daughter husband wife baby person people group team member members
time times day days night nights morning evening afternoon week weeks month months year years hour
hours minute minutes moment moments age life lives death world country city town place home house
room door window wall floor table chair bed street road way part parts side end point case fact
thing things idea ideas story stories word words question questions problem problems answer
reason result number numbers kind sort lot area line name money job business company school class
system program government service power water air fire earth sea ocean wind rain snow storm
weather sun moon star stars sky cloud clouds wave waves tide tides shore coast beach island harbour
harbor port ship ships boat boats sail deck crew captain mast anchor rope knot knots reef weather
compass map chart course north south east west storm gale fog lighthouse light keeper rock rocks
head hand hands eye eyes face body heart mind voice hair arm arms leg foot feet back blood
food bread coffee tea drink wine beer glass cup plate dinner lunch breakfast
book books letter letters paper news music song songs art film picture game games
car train bus road bridge office desk phone call message messages
case cases detective police crime murder gun client clients law truth lie lies secret secrets
money dollar dollars price cost job work office rent bill bills
war peace history memory memories dream dreams fear hope love hate trust doubt luck trouble
help rest sleep health doctor mind feeling feelings sense taste touch sight sound smell
plan plans rule rules reply replies conversation talk chat tone length
matter matters change changes care cares chance choice choices decision effect effects
experience experiences interest interests issue issues level levels order power problem
process reason role sense situation state step steps support type view voice way
about against along around because before behind between beyond
should would could might must shall may can cannot can't won't don't doesn't didn't isn't
aren't wasn't weren't haven't hasn't hadn't wouldn't couldn't shouldn't i'm you're he's she's it's
we're they're i've you've we've they've i'll you'll he'll she'll we'll they'll i'd you'd he'd
she'd we'd they'd that's there's what's let's who's here's
user users character characters assistant reply answer message last only earlier conversation
remember knows known likes talks style example examples knowledge about relevant private
current date acknowledge tone length sentence sentences paragraph paragraphs short medium long
teacher teachers student students lesson lessons practical advice guide guides navigation encourage
phrase phrases nautical unsafe useful useless prepare prepared preparation pride plainly rarely often
hundreds thousands capsize logbook mentor mentors maintenance seamanship stories weathered patient gruff
humoured humored minded safety occasional occasionally steps step quote quotes quoted joke jokes
office desk rain city streets alley bar bars whiskey cigarette smoke shadow shadows street corner
therapist therapy listen listens listening listened reflect reflects question questioning gently
feelings emotions emotion mood moods calmly openly honestly truly deeply kindly warmly softly
instead rather whether either neither anyway although though unless until while whereas
information knowledge understanding language languages english word sentence grammar meaning
computer computers internet website online email software program programs data machine machines
model models network science research study studies school university college education teacher
history future past present modern ancient nature natural animal animals bird birds fish dog dogs
cat cats horse tree trees flower flowers garden river rivers lake mountain mountains hill hills
forest field fields stone iron gold silver wood glass metal paper cloth clothes shirt coat shoes
kitchen bathroom bedroom garden yard village market shop store restaurant hotel hospital church
station airport ticket travel trip journey visit visited visiting holiday vacation weekend
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december spring summer autumn fall winter season seasons
date clock calendar birthday party wedding funeral gift present surprise
problem solution reason purpose goal goals task tasks project projects report reports result
results success failure mistake mistakes effort attention patience courage strength weakness
safe danger dangerous risk risks careful carefully warning warnings emergency rescue
captain captains sailor sailors skipper harbour harbours harbors boats ships yacht dinghy keel
hull bow stern port starboard rudder tiller helm sheet sheets jib mainsail knot knots tide tides
current currents wave waves swell gust gusts breeze calm weather forecast barometer pressure
detective detectives investigate investigation clue clues suspect suspects witness witnesses
evidence alibi motive guilty innocent lawyer judge court prison jail cop cops gangster
doctor nurse patient medicine ill sick pain hurt healthy exercise body mind soul spirit
beauty beautiful pretty ugly tall short fat thin old older oldest young younger youngest
bigger biggest smaller smallest longer longest faster fastest stronger strongest
possible impossible probably likely unlikely certain uncertain sure unsure clear unclear
agree disagree accept refuse allow allowed deny offer offered offers promise promised
explain explained describe described discuss discussed mention mentioned suggest suggested
consider considered imagine imagined realize realized recognize recognized suppose supposed
compare compared contain contained continue continued include included involve involved
produce produced provide provided receive received remain remained report represent require
required share shared suffer suffered support supported teach touch travel visit wish wished
worry worried laugh laughed laughs smile smiled smiles cry cried dance danced sing sang
cook cooked clean cleaned wash washed fix fixed pick picked drop dropped push pushed pull pulled
`;

/**
 * Word pieces that build the words not in the list, as a real tokenizer's merges would:
 * endings, beginnings and common syllables.
 */
export const ENGLISH_PIECES = `
s es ed d ing ly er ers est ion ions tion tions sion ment ments ness less ful able ible al ial
ic ical ous ious ive ity ty ance ence ant ent ist ism ize ise ized ised ship hood ward wards
y ry ary ory ery ies ied ier iest ling let en ened ening th ward un re in im dis mis pre pro
con com ex de over under out up sub inter trans non anti auto
an ar al at ad ab ac ag am ap as ay ea ee ei eo er et ew ia ie io oa oo ou ow oy ua ue ui
ch sh th ph wh ck ng nk nt nd st sp sk sc sl sm sn sw tr dr br cr fr gr pr bl cl fl gl pl
ight ought ound ook ool oon ain ail ake ale ame ane ate ave ead eal eam ean ear eat eed eel
eep eet ell end ent est ice ide ife ill ime ind ine ing ink ire ite ive ock old one ong ore
ose ost ould ound our ove own uck ull ump unt ure use
light house ship man men land water work day time side way back down
`;
