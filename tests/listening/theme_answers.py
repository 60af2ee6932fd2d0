"""Families of Oak Elementary answering the first question about two clear topics — the
school bus, and feeling welcome — in English and Spanish, through the answering services."""

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.listening.answers import save_answer, start_answer_set

BUS = [
    ("en", "The school bus is late almost every morning."),
    ("en", "The bus stop is too far from our home."),
    ("en", "My son misses the bus because the route changed."),
    ("en", "We need a school bus for families without a car."),
    ("en", "The bus comes too early and the children wait in the cold."),
    ("en", "The bus leaves before after-school practice ends, so there is no transportation."),
    ("en", "The bus is crowded and the ride takes an hour."),
    ("en", "Please tell us when the bus route changes."),
    ("es", "El autobús escolar llega tarde casi todas las mañanas."),
    ("es", "La parada del autobús está muy lejos de nuestra casa."),
    ("es", "Necesitamos transporte escolar porque no tenemos carro."),
    ("es", "El autobús pasa muy temprano y los niños esperan en el frío."),
    ("es", "Mi hija pierde el autobús porque cambiaron la ruta."),
    ("es", "No hay autobús después de las actividades de la tarde."),
    ("es", "El autobús va lleno y el viaje dura una hora."),
]
WELCOME = [
    ("en", "The teachers greet every family at the door with a smile."),
    ("en", "My daughter's teacher calls me every week to tell me how she is doing."),
    ("en", "The front office staff are friendly and patient with us."),
    ("en", "The teachers make us feel welcome at family nights."),
    ("en", "The principal knows our names and says hello."),
    ("en", "Teachers listen to parents and answer our questions kindly."),
    ("en", "I feel welcome because the teacher speaks to me with respect."),
    ("en", "The staff welcomed our family warmly when we arrived."),
    ("es", "Los maestros nos reciben con una sonrisa en la puerta."),
    ("es", "La maestra de mi hijo me llama cada semana."),
    ("es", "El personal de la oficina es amable y paciente."),
    ("es", "Me siento bienvenida porque los maestros me escuchan."),
    ("es", "La directora sabe nuestros nombres y nos saluda."),
    ("es", "Los maestros son muy amables con las familias."),
    ("es", "Nos sentimos bienvenidos en las noches familiares."),
]


def answer(world, invite, campaign, texts, *, anonymous=False, question=None, start=0):
    """One new family of the elementary school per (language, text), each answering
    `question` (the campaign's first by default). Returns the answers, in order."""
    question = question or campaign.protocol.questions.first()
    answers = []
    for number, (language, text) in enumerate(texts, start=start):
        household = create_household(organization=world.district, name=f"Family{number}")
        caregiver = add_caregiver(
            household=household,
            given_name=f"Carer{number}",
            family_name="Tester",
            preferred_language=language,
        )
        add_student(household=household, school=world.elementary, given_name=f"Kid{number}")
        answer_set = start_answer_set(
            invitation=invite(campaign, caregiver), anonymous=anonymous, channel="web"
        )
        answers.append(save_answer(answer_set=answer_set, question=question, text=text))
    return answers


def answer_both_topics(world, invite, campaign):
    """30 answers: 15 about the bus, then 15 about feeling welcome."""
    return answer(world, invite, campaign, BUS + WELCOME)
