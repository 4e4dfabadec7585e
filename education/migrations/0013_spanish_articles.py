"""Spanish versions of the four seeded articles, and fixed ids for every seeded heading.

The Spanish text was written for this site, in plain, neutral Latin American Spanish with
"usted", from the English articles as they stand after 0006; it is not a word-for-word
translation. Each version cites the same sources: its reference list is a copy of its
original's, and a source is named here by a key ([CDC], [FDA]...) that becomes the number
the list gives it. The versions are published, "not yet medically reviewed", and follow
their original's words as they are now (``source_fingerprint``).

Headings carry explicit ids (``## Tolerancia {#tolerance}``, education/rendering.py), the
same as the English section's, so the result page's "read more" links land on the same
section in either language. The English headings get their current ids written out too,
so that rewording one no longer moves its address. Nothing a reader sees changes in them.
As in 0002, the text is frozen here; editors change articles in the admin.
"""

import hashlib
import re

from django.db import migrations
from django.utils import timezone

from education.rendering import render_markdown

REASON = "Spanish version, written for this site (not yet medically reviewed)"
IDS_REASON = "Fixed ids for the headings, so that links survive rewording and translation"

SOURCES = {
    "SCIENCE": (
        "Servick K. Why painkillers sometimes make the pain worse. Science, November 2016.",
        "https://www.science.org/content/article/why-painkillers-sometimes-make-pain-worse",
    ),
    "BMJ": (
        "Kaneria A. Opioid-induced hyperalgesia: when painkillers make pain worse. BMJ Case "
        "Reports, June 2014.",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4054124/",
    ),
    "CONSULTANT": (
        "When medications make pain worse: opioid-induced hyperalgesia. The Consultant "
        "Pharmacist, August 2011.",
        "https://pubmed.ncbi.nlm.nih.gov/21840817/",
    ),
    "LEE": (
        "Lee M, Silverman S, Hansen H, Patel V, Manchikanti L. A comprehensive review of "
        "opioid-induced hyperalgesia. Pain Physician 2011;14:145-161.",
        "https://pubmed.ncbi.nlm.nih.gov/21412369/",
    ),
    "FDA": (
        "US Food and Drug Administration. FDA Drug Safety Communication, 9 April 2019: harm "
        "reported from sudden discontinuation of opioid pain medicines.",
        "https://www.fda.gov/drugs/drug-safety-and-availability/fda-identifies-harm-reported-"
        "sudden-discontinuation-opioid-pain-medicines-and-requires-label-changes-guide",
    ),
    "HHS": (
        "US Department of Health and Human Services. HHS Guide for Clinicians on the "
        "Appropriate Dosage Reduction or Discontinuation of Long-Term Opioid Analgesics. "
        "October 2019.",
        "https://www.hhs.gov/opioids/sites/default/files/2019-10/Dosage_Reduction_Discontinuation.pdf",
    ),
    "CDC": (
        "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice Guideline for "
        "Prescribing Opioids for Pain — United States, 2022. MMWR Recomm Rep 2022;71(RR-3):1-95.",
        "https://doi.org/10.15585/mmwr.rr7103a1",
    ),
}
SOURCE_KEY = re.compile(r"\[(" + "|".join(SOURCES) + r")\]")
HEADING = re.compile(r"^(#{2,4}) (.+?)[ \t]*$")
HEADING_ID = re.compile(r" \{#[a-z0-9-]+\}$")

SPANISH = [
    {
        "slug": "opioid-induced-hyperalgesia",
        "title": "Qué hacer si cree que podría tener hiperalgesia por opioides",
        "summary": (
            "A veces, los opioides pueden hacer que el cuerpo sienta más el dolor. Conozca las señales, qué otra cosa podría ser y cómo recibir un mejor cuidado del dolor."
        ),
        "body": """\
Si usted toma opioides para el dolor y su dolor sigue empeorando, no está solo. Su dolor es real y merece atención. En algunas personas, tomar opioides por mucho tiempo hace que el cuerpo sienta más el dolor. Los médicos llaman a esto hiperalgesia inducida por opioides. Aquí la llamaremos HIO, para abreviar.

Esta página explica qué es la HIO y cómo ocurre. También habla de otras cosas que se le parecen, y de lo que usted puede hacer. Solo un médico puede decir si la HIO es parte de su dolor.

## Para qué se usan los opioides {#what-opioids-are-used-for}

Los opioides son medicinas fuertes para el dolor. Por mucho tiempo, los médicos los usaron sobre todo para un dolor fuerte que llega rápido y dura poco. Dos ejemplos son el dolor después de una cirugía o de una lesión grave.

En las últimas décadas, muchas más personas recibieron opioides para un dolor que dura meses o años. Esto se llama dolor crónico.

Como la gente tomaba opioides por más tiempo, los científicos aprendieron más sobre sus efectos. Algunos son graves. La HIO es uno de ellos. Con la HIO, una persona que toma opioides se vuelve poco a poco más sensible al dolor [BMJ].

Por estos riesgos, grupos importantes de expertos en dolor y en el uso de drogas ahora aconsejan no usar opioides para la mayoría de los dolores que duran mucho. Hay algunas excepciones, como el dolor de larga duración por cáncer.

Si usted toma opioides ahora, no hizo nada malo. Es solo una buena razón para seguir hablando con su equipo de salud sobre lo que mejor le sirve.

## Cómo cambian los opioides la forma en que su cuerpo siente el dolor {#how-opioids-change-the-way-your-body-feels-pain}

Sus nervios llevan señales de dolor al cerebro. Los opioides se pegan a unos puntos especiales de las células de los nervios, llamados receptores. Así bloquean parte de las señales de dolor, y usted siente menos dolor.

Cuando el cuerpo recibe opioides todo el tiempo, las células de los nervios cambian poco a poco para adaptarse. Con el tiempo, este sistema cambiado puede empezar a crear señales de dolor de más. Entonces la misma dosis puede aliviar menos. Una persona puede necesitar más medicina para sentir el mismo alivio.

Las dosis más altas traen más riesgos. Pueden darle mucho sueño. Pueden hacer que respire tan lento que sea peligroso. A veces, hasta pueden causar una muerte de repente. Por eso, todo cambio de dosis debe hacerse con la guía de su médico.

## La HIO y la crisis de los opioides {#oih-and-the-opioid-crisis}

Algunos expertos creen que la HIO podría tener un papel en la crisis de los opioides [SCIENCE]. Así es como podría pasar:

- El dolor de una persona empeora, y por eso toma más medicina para el dolor.
- No sabe que la misma medicina podría estar sumando dolor.
- El dolor crece, la dosis crece, y el ciclo sigue.

Los científicos todavía estudian esto. Nadie sabe aún qué tan seguido pasa la HIO, y los estudios en personas no siempre están de acuerdo. Aun así, ayuda saber que este ciclo puede pasar. Así usted puede preguntar por él.

## Señales de la HIO {#signs-of-oih}

Las personas con HIO tienen un dolor real, y muchas veces fuerte. Su cuerpo le sube el volumen a señales de dolor que otras personas casi no notarían. Estas son algunas señales que buscan los médicos:

- Su dolor empeoró, en vez de mejorar, después de que le subieron la dosis de opioide [BMJ].
- Su dolor se pasó a otras partes del cuerpo, o ahora lo siente por todos lados.
- Ahora le duelen cosas que antes no le dolían. Puede ser un toque suave, su ropa, las sábanas, la ducha o un abrazo.
- Ha tomado opioides casi todos los días por tres meses o más. La HIO se ve más después de ese tiempo.

Vale la pena hablar de estas señales con su médico. Pero no prueban que la causa sea la HIO. No hay una sola prueba para la HIO. Un médico solo puede nombrarla después de buscar primero otras causas.

## Cosas que se parecen a la HIO {#what-oih-can-look-like}

Otros problemas pueden causar señales muy parecidas a las de la HIO. Su médico querrá revisarlos. Aquí se los explicamos con palabras sencillas.

### Tolerancia {#tolerance}

Tolerancia quiere decir que su cuerpo se acostumbró a una medicina. La misma dosis ya no le sirve tan bien como antes. Con la tolerancia, una dosis más alta vuelve a ayudar, al menos por un tiempo. Con la HIO, una dosis más alta puede empeorar el dolor.

### Abstinencia entre dosis {#withdrawal-between-doses}

Cuando el efecto de cada dosis se va pasando, el cuerpo puede tener una forma leve de abstinencia. El dolor suele ser peor justo antes de la próxima dosis. También puede subir cuando una dosis se atrasa, se olvida o es más baja. Puede bostezar mucho, tener moqueo o sudar. Puede tener piel de gallina, malestar de estómago, o sentirse inquieto. Estas molestias suelen calmarse con la próxima dosis.

### Una lesión o enfermedad nueva {#a-new-injury-or-illness}

El dolor también puede empeorar por una razón nueva. Puede ser una caída u otra lesión, o una cirugía. Puede ser una enfermedad nueva, o un problema de salud que está empeorando. Hay que revisar esto primero. Cuéntele a su médico cualquier cambio en su salud, aunque parezca pequeño.

### Dificultad para controlar el uso, o ganas muy fuertes {#trouble-with-control-or-cravings}

Necesitar más medicina, o tener abstinencia, no quiere decir por sí solo que haya un problema con el uso de opioides. Ese tipo de problema tiene que ver con lo que hace una persona. Por ejemplo, le puede costar controlar cuánto toma, o puede sentir ganas muy fuertes de tomar. Si esto le suena conocido, usted merece ayuda, no culpa. Cuénteselo a su médico, o vea nuestra página sobre cómo conseguir ayuda, que es confidencial.

## Lo que usted puede hacer {#what-you-can-do}

Si cree que la HIO podría ser parte de su dolor, hay buenos pasos que puede dar. Por favor, no cambie su dosis de opioide por su cuenta. Todo cambio se debe planear con su médico y hacer despacio.

### Pida una revisión completa de su dolor {#get-a-full-pain-check}

Una revisión completa mira su dolor, su salud, sus medicinas y su vida diaria. Sale mejor cuando la hace un equipo con distintos saberes. El equipo puede incluir médicos, enfermeras y farmacéuticos. También puede incluir terapeutas físicos y expertos en salud mental. Cada uno ve un lado distinto de su dolor.

### Conozca otras medicinas {#learn-about-other-medicines}

Algunas medicinas para el dolor no son opioides. Su médico puede sugerirle acetaminofén, o un antiinflamatorio como el ibuprofeno. Otras medicinas se hicieron primero para otros problemas de salud. También pueden calmar algunos tipos de dolor. Algunos antidepresivos y algunas medicinas para las convulsiones son ejemplos. Su médico le puede decir cuáles son seguras para usted, si alguna lo es.

### Pruebe cuidados que no son medicinas {#try-care-that-is-not-medicine}

Muchos tratamientos sin pastillas pueden ayudar con el dolor de larga duración. Entre ellos están:

- el ejercicio y el movimiento suave
- la terapia física
- la terapia cognitivo-conductual (TCC), una terapia en la que se habla y se aprenden formas de vivir con el dolor
- los masajes
- la acupuntura
- las prácticas de cuerpo y mente, como el yoga, el taichí o la meditación
- las formas de relajarse, como respirar lento y hondo

Puede usar más de uno a la vez. A muchas personas les va mejor con una mezcla.

## La buena noticia {#the-good-news}

La HIO puede mejorar. Cuando los opioides se bajan despacio, con la ayuda de un médico, la HIO muchas veces se va con el tiempo [CONSULTANT]. Esto no pasa de un día para otro. Puede tomar semanas o meses. En ese tiempo, las células de los nervios y sus receptores vuelven poco a poco a la normalidad. Muchas personas tienen menos dolor al final [CONSULTANT].

La clave es ir despacio y con un plan. Dejar todo de golpe, o bajar una dosis muy rápido, puede hacer daño. Puede causar abstinencia, más dolor y una angustia muy grande. Su médico puede planear un ritmo que sea seguro para usted.

## Cuando esta autoevaluación no es para usted {#when-this-check-does-not-fit}

Nuestra autoevaluación está hecha para el dolor de larga duración que no viene del cáncer. Los consejos son otros para el dolor por cáncer o por anemia de células falciformes. También son otros para quien recibe cuidados paliativos o de hospicio. En esos casos, los opioides muchas veces son parte de un buen cuidado. Un cambio en el dolor también puede querer decir que la enfermedad cambió.

Si su dolor viene de una de estas causas, hable sobre cualquier cambio en su dolor con el equipo que la trata. Ellos conocen su enfermedad y pueden revisarlo con usted.

## Hable con su médico {#talk-to-your-doctor}

Si toma opioides desde hace mucho tiempo y siente que su dolor no está bien controlado, hable con su médico. No tiene que probar nada. Solo cuente lo que ha notado, por ejemplo:

- cuándo empezó a empeorar su dolor
- dónde le duele ahora, y cómo se siente
- qué pasó con su dolor después de un cambio de dosis
- cualquier lesión, enfermedad u otro cambio nuevo en su salud

Su médico puede buscar la causa. Si tiene sentido para usted, puede planear con usted un cambio de dosis lento y seguro. También le puede ayudar a armar un mejor cuidado del dolor, basado en pruebas sólidas.

Usted merece un cuidado del dolor que funcione. Hacer estas preguntas es un buen primer paso.

### Cuándo buscar ayuda de inmediato {#when-to-get-help-right-away}

Algunas señales no pueden esperar a una cita. Busque ayuda de emergencia ahora si alguien que toma opioides no se despierta, respira muy lento, o tiene los labios azules o grises. Busque ayuda ahora también si está pensando en quitarse la vida. Nuestra página sobre cómo conseguir ayuda tiene los números a los que puede llamar.
""",
    },
    {
        "slug": "changing-opioid-doses-safely",
        "title": "Cómo cambiar la dosis de opioides sin riesgo",
        "summary": (
            "Por qué la dosis de opioides solo debe cambiar despacio y con su médico, las señales de abstinencia y de sobredosis, y cómo la naloxona puede salvar una vida."
        ),
        "body": """\
Si usted toma opioides, puede que un día usted y su médico hablen de cambiar su dosis. Un cambio puede ser seguro si se hace de la forma correcta. Esta página explica cómo es eso, y qué señales de alerta debe vigilar.

## Nunca cambie su dosis por su cuenta {#never-change-your-dose-on-your-own}

Cambiar su dosis de opioide usted solo puede ser peligroso, aunque lo haga con buena intención. Esto es así si toma menos y también si toma más.

- Tomar menos, demasiado rápido, puede causar abstinencia, más dolor y una angustia muy grande [FDA].
- Tomar más de lo que dice su receta aumenta el riesgo de una sobredosis.

Si siente que su dosis no está bien, dígaselo a su médico. Juntos pueden encontrar un camino seguro.

## Cómo es un cambio seguro {#what-a-safe-change-looks-like}

Un cambio seguro se planea con su médico y se hace despacio [HHS]. Esto suele querer decir:

- **Deciden juntos.** Sus metas y sus miedos son parte del plan.
- **Los cambios son pequeños y se reparten en el tiempo.** El ritmo depende de usted, de su salud y de cuánto tiempo ha tomado opioides.
- **Hablan seguido.** Su médico le pregunta por su dolor, su sueño, su ánimo y cómo lo está llevando.
- **El plan puede ir más lento o hacer una pausa.** Si un paso se le hace muy difícil, su médico lo puede ajustar [HHS]. Eso no es un fracaso.
- **Otros cuidados para el dolor le apoyan.** La terapia física, el ejercicio o la terapia en la que se habla pueden ayudar en el camino [CDC].

Los cambios de dosis pueden causar estrés. También está bien pedir apoyo para su ánimo.

## Señales de abstinencia {#signs-of-withdrawal}

La abstinencia puede pasar cuando el cuerpo está acostumbrado a los opioides y recibe menos de lo que espera. Las señales pueden ser:

- bostezar mucho
- moqueo u ojos llorosos
- sudor o escalofríos
- piel de gallina
- malestar de estómago, diarrea o vómitos
- sentirse inquieto o nervioso, o dormir mal
- más dolor de lo normal

La abstinencia puede hacerle sentir muy mal, pero su médico le puede ayudar. Cuéntele si nota estas señales. Por favor, no trate de calmar la abstinencia con dosis de más por su cuenta.

## Si una dosis más baja le hace sentir peor {#if-a-lower-dose-makes-you-feel-worse}

A veces un plan para bajar la dosis va más rápido de lo que su cuerpo puede seguir. Puede tener mucho más dolor, sentirse enfermo, o sentir que ya no puede más. No es su culpa.

Si una dosis más baja le hace sentir mucho peor, dígaselo a la persona que le receta la medicina. Muchas veces el plan se puede pausar o hacer más lento [FDA] [HHS]. Cuéntele cómo se siente y desde cuándo.

No tome de más, y no consiga opioides de otra persona. Después de unos días con una cantidad más baja, su cuerpo ya no aguanta lo que tomaba antes. Esa cantidad de antes puede causar una sobredosis.

## Por qué es peligroso dejarlo todo de golpe {#why-stopping-all-at-once-is-dangerous}

En 2019, la agencia de los EE. UU. que vigila los medicamentos (la FDA) advirtió sobre daños en pacientes a quienes les quitaron los opioides de golpe o se los bajaron muy rápido [FDA]. Entre los daños que reportó están:

- una abstinencia grave
- un dolor mucho peor
- una angustia muy grande
- pensamientos de suicidio, e intentos de suicidio

Las guías para médicos en los EE. UU. dicen lo mismo. En la mayoría de los casos, aconsejan no quitar los opioides de golpe a quien los ha tomado por mucho tiempo [HHS] [CDC].

Si está pensando en hacerse daño, por favor busque ayuda ahora. Nuestra página sobre cómo conseguir ayuda tiene los números a los que puede llamar.

## Por qué una dosis de antes puede volverse peligrosa {#why-an-old-dose-can-become-unsafe}

Cuando toma una dosis más baja por un tiempo, su cuerpo pierde parte de su tolerancia. Tolerancia quiere decir que su cuerpo se acostumbró a una medicina. Se puede perder en más o menos una semana [HHS].

Por eso, una dosis que antes era segura ahora puede ser demasiado fuerte. Volver a tomar la cantidad de antes, después de una pausa o de una dosis más baja, puede hacer muy lenta su respiración, o pararla. Así pasan muchas sobredosis.

Si su dolor sube después de un cambio de dosis, no vuelva por su cuenta a la cantidad de antes. Mejor llame a su médico. Le puede ayudar a encontrar un próximo paso seguro.

## Señales de una sobredosis {#signs-of-an-overdose}

Una sobredosis es una emergencia. Las señales son:

- la persona no se despierta, o es muy difícil despertarla
- respira muy lento, dejó de respirar, o hace un ruido como de gárgaras o ronquidos
- las pupilas (el centro negro de los ojos) están muy chiquitas, como la punta de un alfiler
- los labios o la punta de los dedos se ven azules o grises
- el cuerpo está flojo

Si ve estas señales, llame de inmediato a su número local de emergencias. No espere a ver si la persona mejora.

## Señales de que casi hubo una sobredosis {#signs-of-a-near-overdose}

Algunas personas tienen sustos antes de una sobredosis. Esté atento a estas señales después de una dosis:

- A alguien le cuesta mucho despertarle.
- Su respiración se vuelve muy lenta, o se para por un rato corto.
- Ronca fuerte y le falta el aire mientras duerme.

Si esto le pasó en el último mes, dígaselo hoy mismo a la persona que le receta la medicina [CDC]. Tenga naloxona a la mano, y enseñe a las personas con quienes vive cómo usarla. Si alguien no se despierta, o respira muy lento, llame de inmediato para pedir ayuda de emergencia.

## Medicinas que suben el riesgo {#medicines-that-add-to-the-risk}

Algunas medicinas y costumbres hacen más probable que los opioides pongan su respiración demasiado lenta [CDC]:

- medicinas para la ansiedad o para dormir, como alprazolam, diazepam, lorazepam, clonazepam o zolpidem;
- gabapentina o pregabalina;
- tomar alcohol casi todos los días;
- la apnea del sueño, cuando su respiración se para una y otra vez mientras duerme;
- una sobredosis en el pasado.

Si alguna de estas cosas es su caso, dígaselo a la persona que le receta el opioide. Pregunte si es seguro tomar sus medicinas juntas.

No deje ninguna de ellas de golpe por su cuenta. Dejar algunas de repente también puede ser peligroso. Esto pasa con las medicinas para la ansiedad o para dormir, y con el alcohol. Su médico le puede ayudar a planear cualquier cambio.

## La naloxona puede salvar una vida {#naloxone-can-save-a-life}

La naloxona es una medicina que puede frenar rápido una sobredosis de opioides [CDC]. Muchas veces se da como un spray en la nariz. En los EE. UU., el spray nasal de naloxona de 4 mg se vende sin receta desde 2023. Eso quiere decir que puede comprarlo en muchas tiendas. En otros lugares, pregunte a un farmacéutico o a su médico cómo conseguirla.

Si toma opioides, es buena idea tener naloxona en casa. Asegúrese de que las personas con quienes vive sepan dónde está y cómo usarla.

### Cómo usar la naloxona {#how-to-use-naloxone}

1. Llame a su número local de emergencias, o pida a otra persona que llame.
2. Ponga una dosis en un lado de la nariz. Siga los pasos del paquete.
3. Quédese con la persona. Si respira, póngala de lado.
4. Si no se despierta o no respira mejor en 2 a 3 minutos, dele una segunda dosis en el otro lado de la nariz, si tiene una.
5. Quédese con ella hasta que llegue la ayuda, aunque se despierte. El efecto de la naloxona se puede pasar antes que el del opioide, y la sobredosis puede volver.

## Otras formas de cuidarse {#other-ways-to-stay-safe}

- Tome sus opioides solo como se los recetaron.
- Pregunte a su médico antes de mezclar opioides con alcohol, pastillas para dormir u otras medicinas que dan sueño. La mezcla puede hacer lenta su respiración [CDC].
- Guarde sus medicinas bajo llave, lejos de los niños y las visitas.
- Tenga una lista de todas sus medicinas. Muéstrela a cada médico y farmacéutico que vea.

## Preguntas para su médico {#questions-to-ask-your-clinician}

- ¿Mi dosis de ahora sigue siendo la correcta para mí?
- Si la cambiamos, ¿qué tan despacio vamos a ir?
- ¿Qué hago si la abstinencia o el dolor empeoran durante un cambio?
- ¿Debo tener naloxona en casa?
""",
    },
    {
        "slug": "pain-care-beyond-opioids",
        "title": "Cuidado del dolor más allá de los opioides",
        "summary": (
            "Los opioides son solo una forma de tratar el dolor. Conozca la revisión completa del dolor, el trabajo en equipo, otras medicinas y tratamientos que no son pastillas."
        ),
        "body": """\
Vivir con dolor de larga duración es difícil. Le puede cansar mucho y quitarle las cosas que le gustan. La buena noticia es que hay muchas formas de tratar el dolor, y los opioides son solo una de ellas. A muchas personas les va mejor con una mezcla de tratamientos que vaya con su cuerpo y su vida.

Si toma opioides ahora, muchos de estos tratamientos se pueden usar junto con ellos. Todo cambio en su dosis de opioide se debe planear con su médico y hacer despacio.

## Empiece con una revisión completa del dolor {#start-with-a-full-pain-evaluation}

Una revisión del dolor es una mirada con calma a su dolor y a cómo le afecta. Su médico le puede preguntar:

- dónde le duele, y cómo se siente el dolor
- cuándo empezó, y qué lo mejora o lo empeora
- cómo afecta su sueño, su ánimo, su trabajo y su tiempo con otras personas
- qué medicinas y tratamientos ha probado, y cómo le fue
- qué es lo que más le importa, y qué quiere volver a hacer

También le puede examinar o pedir pruebas. La meta es entender qué hay detrás de su dolor. Así pueden hacer juntos un plan a su medida [CDC].

## Un trabajo en equipo {#a-team-approach}

El dolor de larga duración toca cada parte de la vida. Por eso, el cuidado suele salir mejor con un equipo de personas que saben cosas distintas [CDC]. Su equipo puede incluir:

- un médico o una enfermera que guía su cuidado
- un especialista en dolor
- un terapeuta físico, que le ayuda a moverse con menos dolor
- un psicólogo o consejero, que le ayuda a llevar el dolor y el estrés
- un farmacéutico, que revisa que sea seguro tomar sus medicinas juntas

Usted es la persona más importante del equipo. Sus metas guían el plan.

## Medicinas para el dolor que no son opioides {#pain-medicines-that-are-not-opioids}

Varios tipos de medicina pueden calmar el dolor sin opioides [CDC] [LEE].

### Medicinas comunes para el dolor {#common-pain-relievers}

Su médico puede sugerirle acetaminofén, o un antiinflamatorio como el ibuprofeno. Los antiinflamatorios calman el dolor y también la hinchazón. Para muchos dolores comunes, como el de espalda o el de las rodillas y otras coyunturas, pueden servir casi igual que los opioides [CDC].

Puede comprarlos sin receta, pero igual tienen riesgos. Mucho acetaminofén puede dañar el hígado. Los antiinflamatorios pueden irritar o lastimar el estómago. También pueden afectar los riñones, el corazón y la presión de la sangre. Pregunte a su médico o farmacéutico cuáles son seguros para usted, y cuánto puede tomar.

### Medicinas que ayudan de otras formas {#medicines-that-help-in-other-ways}

Algunas medicinas se hicieron primero para otros problemas de salud, pero también pueden calmar el dolor. Algunos antidepresivos y algunas medicinas para las convulsiones son ejemplos. Pueden servir para el dolor de los nervios, ese que quema, hormiguea o da como toques.

Si su médico le ofrece un antidepresivo para el dolor, no quiere decir que dude de su dolor. Estas medicinas actúan en los nervios que llevan las señales de dolor. Su dolor es real.

## Tratamientos que no son medicinas {#treatments-that-are-not-medicines}

Muchos tratamientos sin pastillas pueden bajar el dolor y ayudarle a hacer más cosas [CDC]. Estos son algunos que pueden ayudar:

| Tratamiento | Qué es |
|---|---|
| Ejercicio | Moverse seguido, como caminar, nadar o estirarse, un poco más cada vez |
| Terapia física | Un terapeuta le enseña ejercicios y formas más seguras de moverse |
| Terapia cognitivo-conductual (TCC) | Una terapia en la que se habla, para aprender a manejar el dolor, el estrés y el mal dormir |
| Masajes | Trabajo con las manos sobre los músculos para aflojar la tensión |
| Acupuntura | Agujas muy finas que se ponen en la piel en ciertos puntos |
| Prácticas de cuerpo y mente | Yoga, taichí o meditación, que unen el movimiento o la atención con una respiración tranquila |
| Relajación | Respirar despacio, o apretar y luego soltar un grupo de músculos a la vez |

Una terapia en la que se habla no quiere decir que su dolor no sea real. El dolor afecta a toda la persona. La TCC le da herramientas para calmar su cuerpo, dormir mejor y volver a las cosas que el dolor le ha quitado.

### Consejos para empezar {#tips-for-getting-started}

- Empiece con poco. Una caminata corta cuenta. Puede ir subiendo con el tiempo.
- Dele tiempo. Muchos de estos tratamientos tardan unas semanas en ayudar.
- Cuéntele a su equipo qué le ayuda y qué no. Su plan puede cambiar.
- Si algo no le sirve, pruebe otra cosa. Hay muchas opciones.

## Si toma opioides ahora {#if-you-take-opioids-now}

Algunas personas que toman opioides por mucho tiempo se vuelven más sensibles al dolor [LEE] [CONSULTANT]. Esto se llama hiperalgesia inducida por opioides, o HIO. Es una razón más para hacer una revisión completa del dolor y buscar otros cuidados.

Si se pregunta si sus opioides todavía le ayudan, hable con su médico. Por favor, no cambie su dosis por su cuenta. Todo cambio se debe planear con su médico y hacer despacio [CDC].

## Preguntas para su médico {#questions-to-ask-your-clinician}

- ¿Qué cree que está causando mi dolor?
- ¿Qué tratamientos, además de los opioides, me podrían ayudar?
- ¿Puedo ver a un terapeuta físico, o a un psicólogo que trabaje con el dolor?
- ¿Qué medicinas para el dolor son seguras para mí, y cuánto puedo tomar?
- ¿Cómo vamos a saber si mi plan funciona?
""",
    },
    {
        "slug": "getting-help",
        "title": "Cómo conseguir ayuda",
        "summary": (
            "Cuándo y cómo conseguir ayuda rápido: emergencias, sobredosis, pensamientos de hacerse daño y apoyo confidencial con el uso de opioides."
        ),
        "body": """\
Si usted o alguien cerca de usted necesita ayuda ahora, use los números de esta página. No tiene que pasar por esto solo.

## Busque ayuda de emergencia ahora si {#get-emergency-help-now-if}

Llame de inmediato al número de emergencias de esta página si:

- alguien no se despierta, respira muy lento o no respira, o tiene los labios azules o grises
- alguien que toma opioides tiene mucho más sueño de lo normal, está confundido o no habla claro
- usted siente de pronto débil un brazo o una pierna
- de repente no puede controlar la orina o el vientre
- siente de pronto dormida la ingle, las nalgas o la parte de adentro de los muslos
- tiene dolor en el pecho o le cuesta respirar

No espere a ver si las cosas mejoran.

## Si cree que alguien tuvo una sobredosis {#if-you-think-someone-has-overdosed}

1. Llame al número de emergencias de esta página, o pida a otra persona que llame.
2. Dele naloxona si la tiene. Es un spray para la nariz que puede frenar una sobredosis de opioides [CDC].
3. Quédese con la persona. Si respira, póngala de lado.
4. Si no se despierta en dos o tres minutos, dele una segunda dosis si tiene una.
5. Quédese hasta que llegue la ayuda, aunque se despierte. El efecto de la naloxona se puede pasar antes que el del opioide.

## Si está pensando en hacerse daño {#if-you-are-thinking-about-hurting-yourself}

Si está pensando en quitarse la vida en este momento, por favor llame ahora al número de emergencias o a la línea de crisis de esta página. Si puede, quédese cerca de alguien de confianza hasta que llegue la ayuda.

Si tuvo pensamientos así en las últimas semanas, pero no ahora, por favor busque apoyo hoy. Llame a la línea de crisis de esta página, o hable hoy con su médico.

El dolor, y los cambios rápidos en la medicina para el dolor, pueden traer sentimientos muy oscuros [FDA]. Esto les pasa a muchas personas. No es su culpa, y con ayuda, estos sentimientos pueden mejorar.

## Busque atención médica hoy si {#get-medical-help-today-if}

- tiene fiebre además del dolor
- tuvo una caída u otra lesión
- tuvo pensamientos de hacerse daño en las últimas semanas

Llame hoy a su médico. Si no lo puede encontrar, use una línea de consejos de salud de esta página, si hay una, o vaya a un centro de atención de urgencias.

## Ayuda confidencial con el uso de opioides {#confidential-help-with-opioid-use}

A algunas personas les cuesta controlar cuánto opioide toman, o sienten ganas muy fuertes de tomarlo. Si es su caso, no está solo, y la ayuda funciona. Usted merece atención, no culpa.

- Use la línea de ayuda confidencial de esta página, si hay una para su país. Le pueden decir dónde hay apoyo cerca de usted. También puede hablar con su médico o su farmacéutico.
- Dígale a quien le receta si ha tomado más de lo recetado. Tomar más sube el riesgo de una sobredosis.
- Tenga naloxona en casa, y muestre a las personas con quienes vive dónde está.

## Si está en tratamiento por el uso de opioides {#if-you-are-in-treatment-for-opioid-use}

La metadona y la buprenorfina (por ejemplo, Suboxone) son tratamientos seguros y probados. Si recibe uno de ellos en una clínica o un programa, siga con él. No lo deje ni lo baje por su cuenta. Dejarlo sube el riesgo de una sobredosis y de muerte [CDC].

Su dolor se puede tratar mientras sigue con su tratamiento. Hable de su dolor con su equipo de tratamiento, y pregunte cómo se puede tratar. Ellos pueden trabajar con sus otros médicos.

## Otras preocupaciones sobre su dolor {#other-worries-about-your-pain}

Si su dolor está cambiando o es difícil de controlar, pero ninguna de las señales de arriba es su caso, pida pronto una cita con su médico. Mientras tanto, por favor no cambie su dosis de opioide por su cuenta. Todo cambio se debe planear con su médico y hacer despacio.
""",
    },

]


def text_fingerprint(article):
    """As education.models.text_fingerprint: a digest of the title, summary and body."""
    digest = hashlib.sha256()
    for part in (article.title, article.summary, article.body):
        digest.update(" ".join(part.split()).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _history(apps, article, kind, reason, now):
    HistoricalArticle = apps.get_model("education", "HistoricalArticle")
    copied = [
        field.attname
        for field in HistoricalArticle._meta.fields
        if not field.name.startswith("history_")
    ]
    HistoricalArticle.objects.create(
        **{name: getattr(article, name) for name in copied},
        history_date=now,
        history_type=kind,
        history_change_reason=reason,
    )


def _prepare(article):
    rendered = render_markdown(article.body)
    article.body_html, article.toc = rendered.html, rendered.toc
    article.text_fingerprint = text_fingerprint(article)


def _explicit_ids(body):
    """``body`` with each heading's current id written at the end of its line."""
    ids = iter(render_markdown(body).toc)
    lines = []
    try:
        for line in body.split("\n"):
            lines.append(_with_id(line, ids))
    except StopIteration:  # headings Markdown did not read as headings: leave it
        return body
    return "\n".join(lines)


def _with_id(line, ids):
    match = HEADING.match(line)
    if match is None or len(match.group(1)) > 3:
        return line
    found = next(ids)["id"]
    if HEADING_ID.search(line):
        return line
    return f"{match.group(1)} {match.group(2)} {{#{found}}}"


def _number(apps, article, key):
    """The number that ``article``'s reference list gives the source ``key``, adding it."""
    Reference = apps.get_model("education", "Reference")
    citation, url = SOURCES[key]
    references = Reference.objects.filter(article=article)
    found = references.filter(url=url).order_by("order").first()
    if found is None:
        last = references.order_by("-order").values_list("order", flat=True).first() or 0
        found = Reference.objects.create(article=article, order=last + 1, citation=citation, url=url)
    return f"[{found.order}]"


def forwards(apps, schema_editor):
    Article = apps.get_model("education", "Article")
    Reference = apps.get_model("education", "Reference")
    now = timezone.now()
    for article in Article.objects.all():
        _prepare(article)
        article.save(update_fields=["text_fingerprint"])
    slugs = [data["slug"] for data in SPANISH]
    originals = {
        article.slug: article
        for article in Article.objects.filter(slug__in=slugs, language="en", translation_of=None)
    }
    spanish = {}
    for data in SPANISH:
        original = originals.get(data["slug"])
        if original is None or Article.objects.filter(translation_of=original, language="es").exists():
            continue
        with_ids = _explicit_ids(original.body)
        if with_ids != original.body and render_markdown(with_ids).html == original.body_html:
            original.body = with_ids
            _prepare(original)
            original.save()
            _history(apps, original, "~", IDS_REASON, now)
        article = Article.objects.create(
            slug=original.slug,
            language="es",
            translation_of=original,
            title=data["title"],
            summary=data["summary"],
            body="",
            status="published",
            published_at=now,
            show_help_lines=original.show_help_lines,
            source_fingerprint=original.text_fingerprint,
        )
        Reference.objects.bulk_create(
            Reference(
                article=article,
                order=reference.order,
                citation=reference.citation,
                url=reference.url,
                accessed_on=reference.accessed_on,
            )
            for reference in Reference.objects.filter(article=original).order_by("order")
        )
        article.body = SOURCE_KEY.sub(lambda m: _number(apps, article, m.group(1)), data["body"])
        _prepare(article)
        article.save()
        spanish[original.pk] = article
    for original_pk, article in spanish.items():
        related = Article.objects.get(pk=original_pk).related.all()
        # The Spanish version of each related page, or the page itself if it has none.
        article.related.set(spanish.get(other.pk, other) for other in related)
        _history(apps, article, "+", REASON, now)
    _index_for_search(schema_editor, Article)


def _index_for_search(schema_editor, Article):
    """As 0008, each language in its own text-search configuration (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    for language, config in (("en", "english"), ("es", "spanish")):
        Article.objects.filter(language=language).update(
            search_document=(
                SearchVector("title", weight="A", config=config)
                + SearchVector("summary", weight="B", config=config)
                + SearchVector("body", weight="C", config=config)
            )
        )


def backwards(apps, schema_editor):
    Article = apps.get_model("education", "Article")
    HistoricalArticle = apps.get_model("education", "HistoricalArticle")
    slugs = [data["slug"] for data in SPANISH]
    Article.objects.filter(slug__in=slugs, language="es").delete()
    HistoricalArticle.objects.filter(slug__in=slugs, language="es").delete()
    HistoricalArticle.objects.filter(slug__in=slugs, history_change_reason=IDS_REASON).delete()
    for article in Article.objects.filter(slug__in=slugs, language="en"):
        body = "\n".join(
            HEADING_ID.sub("", line) if HEADING.match(line) else line
            for line in article.body.split("\n")
        )
        if body != article.body:
            article.body = body
            _prepare(article)
            article.save()


class Migration(migrations.Migration):
    dependencies = [("education", "0012_article_language")]

    operations = [migrations.RunPython(forwards, backwards)]
